namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>
/// A store whose clock runs <see cref="Skew"/> behind the node's: every decision time it reports is
/// the inner store's minus the skew, so a wire timestamp equal to it can only have come from the store.
/// </summary>
internal sealed class SkewedClockStore(IPresenceStore inner, TimeSpan skew) : IPresenceStore
{
    public TimeSpan Skew => skew;

    public async ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Shift(await inner.AddConnectionAsync(userId, connectionId, cancellationToken));

    public async ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Shift(await inner.RemoveConnectionAsync(userId, connectionId, cancellationToken));

    public async ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Shift(await inner.RefreshConnectionAsync(userId, connectionId, cancellationToken));

    public async ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default)
    {
        var result = await inner.SweepExpiredAsync(maxConnections, cancellationToken);
        return result.Users.Count == 0
            ? result
            : new SweepResult([.. result.Users.Select(u => u with { Timestamp = u.Timestamp - skew })], result.RemovedConnections, result.HasMore);
    }

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        inner.GetOnlineAsync(userIds, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default) => inner.GetAllOnlineAsync(cancellationToken);

    public async ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default)
    {
        var result = await inner.SetStatusAsync(userId, status, cancellationToken);
        return result.Change == StatusChange.Changed ? StatusTransition.Changed(result.Version, result.Timestamp - skew) : result;
    }

    public async ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var presence = await inner.GetPresenceAsync(userIds, cancellationToken);
        return [.. presence.Select(p => p with { LastSeen = p.LastSeen - skew })];
    }

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) => inner.GetCountsAsync(cancellationToken);

    private PresenceTransition Shift(PresenceTransition transition) =>
        transition.Change == PresenceChange.None ? transition : new PresenceTransition(transition.Change, transition.Version, transition.Timestamp - skew);
}
