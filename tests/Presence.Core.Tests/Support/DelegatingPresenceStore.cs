using Microsoft.Extensions.Options;
using Presence.Internal;

namespace Presence.Core.Tests.Support;

/// <summary>An in-memory store whose operations a test store can override one by one.</summary>
internal abstract class DelegatingPresenceStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : IPresenceStore
{
    protected IPresenceStore Inner { get; } = new InMemoryPresenceStore(options, timeProvider);

    public virtual ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Inner.AddConnectionAsync(userId, connectionId, cancellationToken);

    public virtual ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Inner.RemoveConnectionAsync(userId, connectionId, cancellationToken);

    public virtual ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Inner.RefreshConnectionAsync(userId, connectionId, cancellationToken);

    public virtual ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Inner.SweepExpiredAsync(maxConnections, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Inner.GetOnlineAsync(userIds, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default) =>
        Inner.GetAllOnlineAsync(cancellationToken);

    public virtual ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        Inner.GetCountsAsync(cancellationToken);

    public virtual ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default) =>
        Inner.SetStatusAsync(userId, status, cancellationToken);

    public virtual ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Inner.GetPresenceAsync(userIds, cancellationToken);
}
