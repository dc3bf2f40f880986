namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>A store a test takes down and brings back: while down, every write and sweep throws <see cref="PresenceStoreUnavailableException"/>, as the Redis store does when Redis is unreachable.</summary>
internal sealed class OutageStore(IPresenceStore inner) : IPresenceStore
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Down ? ValueTask.FromException<PresenceTransition>(Unavailable()) : inner.AddConnectionAsync(userId, connectionId, cancellationToken);

    public ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Down ? ValueTask.FromException<PresenceTransition>(Unavailable()) : inner.RemoveConnectionAsync(userId, connectionId, cancellationToken);

    public ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Down ? ValueTask.FromException<PresenceTransition>(Unavailable()) : inner.RefreshConnectionAsync(userId, connectionId, cancellationToken);

    public ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Down ? ValueTask.FromException<SweepResult>(Unavailable()) : inner.SweepExpiredAsync(maxConnections, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        inner.GetOnlineAsync(userIds, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default) => inner.GetAllOnlineAsync(cancellationToken);

    public ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default) =>
        inner.SetStatusAsync(userId, status, cancellationToken);

    public ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        inner.GetPresenceAsync(userIds, cancellationToken);

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) => inner.GetCountsAsync(cancellationToken);

    private static PresenceStoreUnavailableException Unavailable() =>
        new("The Redis presence store could not register a connection.", new IOException("Connection refused (127.0.0.1:6379)"));
}
