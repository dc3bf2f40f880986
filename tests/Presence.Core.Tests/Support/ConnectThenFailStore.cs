using Microsoft.Extensions.Options;

namespace Presence.Core.Tests.Support;

/// <summary>A store that accepts connects, then fails every removal once <see cref="Failing"/> is set (an outage during shutdown).</summary>
internal sealed class ConnectThenFailStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : DelegatingPresenceStore(options, timeProvider)
{
    public bool Failing { get; set; }

    public override ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Failing
            ? ValueTask.FromException<PresenceTransition>(new InvalidOperationException("The store went away during shutdown."))
            : base.RemoveConnectionAsync(userId, connectionId, cancellationToken);
}
