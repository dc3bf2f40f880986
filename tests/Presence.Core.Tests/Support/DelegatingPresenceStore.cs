using Microsoft.Extensions.Options;
using Presence.Internal;

namespace Presence.Core.Tests.Support;

/// <summary>An in-memory store whose operations a test store can override one by one.</summary>
internal abstract class DelegatingPresenceStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : IPresenceStore
{
    protected IPresenceStore Inner { get; } = new InMemoryPresenceStore(options, timeProvider);

    public virtual ValueTask<PresenceChange> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Inner.AddConnectionAsync(userId, connectionId, cancellationToken);

    public virtual ValueTask<PresenceChange> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Inner.RemoveConnectionAsync(userId, connectionId, cancellationToken);

    public virtual ValueTask<PresenceChange> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Inner.RefreshConnectionAsync(userId, connectionId, cancellationToken);

    public virtual ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Inner.SweepExpiredAsync(maxConnections, cancellationToken);

    public ValueTask<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default) =>
        Inner.IsOnlineAsync(userId, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Inner.GetOnlineAsync(userIds, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default) =>
        Inner.GetAllOnlineAsync(cancellationToken);

    public ValueTask<int> GetConnectionCountAsync(string userId, CancellationToken cancellationToken = default) =>
        Inner.GetConnectionCountAsync(userId, cancellationToken);

    public virtual ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        Inner.GetCountsAsync(cancellationToken);

    public virtual ValueTask<bool> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default) =>
        Inner.SetStatusAsync(userId, status, cancellationToken);

    public virtual ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Inner.GetPresenceAsync(userIds, cancellationToken);
}
