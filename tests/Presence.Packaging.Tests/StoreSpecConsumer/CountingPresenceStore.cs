using Presence;

namespace MyCompany.Presence;

/// <summary>
/// A store that counts every call and hands it to another store: the shape of a decorator
/// (metrics, logging, a cache in front of a remote store) that must keep the store contract.
/// </summary>
public sealed class CountingPresenceStore(IPresenceStore inner) : IPresenceStore
{
    private long _calls;

    /// <summary>How many calls this store has received.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        Count();
        return inner.AddConnectionAsync(userId, connectionId, cancellationToken);
    }

    public ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        Count();
        return inner.RemoveConnectionAsync(userId, connectionId, cancellationToken);
    }

    public ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        Count();
        return inner.RefreshConnectionAsync(userId, connectionId, cancellationToken);
    }

    public ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default)
    {
        Count();
        return inner.SweepExpiredAsync(maxConnections, cancellationToken);
    }

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        Count();
        return inner.GetOnlineAsync(userIds, cancellationToken);
    }

    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default)
    {
        Count();
        return inner.GetAllOnlineAsync(cancellationToken);
    }

    public ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default)
    {
        Count();
        return inner.SetStatusAsync(userId, status, cancellationToken);
    }

    public ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        Count();
        return inner.GetPresenceAsync(userIds, cancellationToken);
    }

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        Count();
        return inner.GetCountsAsync(cancellationToken);
    }

    private void Count() => Interlocked.Increment(ref _calls);
}
