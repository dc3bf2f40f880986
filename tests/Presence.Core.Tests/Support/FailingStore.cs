using Microsoft.Extensions.Options;

namespace Presence.Core.Tests.Support;

/// <summary>A store whose writes and sweeps fail, as a store does during an outage.</summary>
internal sealed class FailingStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : DelegatingPresenceStore(options, timeProvider)
{
    public const string Message = "The store is down.";

    public override ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<PresenceTransition>(new InvalidOperationException(Message));

    public override ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<PresenceTransition>(new InvalidOperationException(Message));

    public override ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<PresenceTransition>(new InvalidOperationException(Message));

    public override ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<SweepResult>(new InvalidOperationException(Message));
}
