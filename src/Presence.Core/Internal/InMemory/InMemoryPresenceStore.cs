using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// The default <see cref="IPresenceStore"/>: one process, no global lock. Users are spread over
/// shards by a hash of their id; a shard's one lock guards its users, all their connections, and
/// the lists that expire them, so a transition is one lock section. A heartbeat takes no lock: it
/// raises the lease's end with one compare-and-swap, and the sweep re-queues a lease it finds
/// extended. Sweeps touch only what expired or was re-queued.
/// </summary>
/// <remarks>
/// A user's entry stays in the user map while they are offline, holding their last-seen time, until
/// the last-seen retention ends: a reload (offline, then online) then allocates nothing and writes
/// the user map not at all. Store-wide counts are summed from per-shard counts kept under the shard
/// locks, so no counter's cache line bounces between cores on every connect and disconnect.
/// </remarks>
internal sealed class InMemoryPresenceStore : IPresenceStore
{
    /// <summary>A power of two; with a handful of cores two writers rarely meet on one lock.</summary>
    private const int ShardCount = 64;

    /// <summary>Environment.TickCount64 advances in steps of up to 15.6 ms (Windows) or 10 ms (Linux at HZ=100).</summary>
    private const long CoarseClockSlackMilliseconds = 16;

    // The maps' default of one lock stripe per core makes two writers collide often on a small machine.
    private readonly ConcurrentDictionary<string, UserEntry> _users = new(concurrencyLevel: ShardCount, capacity: 1024);
    private readonly ConnectionMap _connections = new();
    private readonly ExpiryShard[] _shards = NewShards();
    private readonly TimeProvider _timeProvider;
    private readonly bool _coarseClock;
    private readonly long _ttl;
    private readonly long _grace;
    private readonly long _retention;
    private readonly TimeSpan _lastSeenRetention;

    /// <summary>Users online or remembered offline. Changes only when a user first appears or is forgotten, so it is not contended.</summary>
    private long _knownUsers;
    private int _nextSweepShard;

    public InMemoryPresenceStore(IOptions<PresenceOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        var value = options.Value;
        if (value.ConnectionTtl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), value.ConnectionTtl, "PresenceOptions.ConnectionTtl must be positive.");
        }

        // Leases are kept in monotonic clock units, cheaper to read and compare than a DateTimeOffset.
        // TimeProvider.System's timestamp is a clock_gettime call that costs 25-50 ns on virtualized
        // hosts, more than half of a heartbeat's budget; Environment.TickCount64 reads the same
        // monotonic clock at millisecond resolution for a few nanoseconds. The lease gets one coarse
        // tick of slack so it never ends early. Any other TimeProvider (tests, custom clocks) is used as is.
        _coarseClock = ReferenceEquals(timeProvider, TimeProvider.System);
        _ttl = ToClockUnits(value.ConnectionTtl) + (_coarseClock ? CoarseClockSlackMilliseconds : 0);
        _grace = value.OfflineGracePeriod > TimeSpan.Zero ? ToClockUnits(value.OfflineGracePeriod) : 0;
        _lastSeenRetention = value.LastSeenRetention > TimeSpan.Zero ? value.LastSeenRetention : TimeSpan.Zero;
        _retention = ToClockUnits(_lastSeenRetention);
    }

    public ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        return new ValueTask<PresenceTransition>(Add(userId, connectionId));
    }

    public ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        if (FindOwned(userId, connectionId) is not { } entry)
        {
            return new ValueTask<PresenceTransition>(PresenceTransition.None);
        }

        var shard = entry.Shard;
        lock (shard.Gate)
        {
            if (Volatile.Read(ref entry.LeaseEnd) == ConnectionEntry.Removed)
            {
                return new ValueTask<PresenceTransition>(PresenceTransition.None); // a sweep or another disconnect took it
            }

            RemoveLocked(entry);
            return new ValueTask<PresenceTransition>(ConnectionGoneLocked(entry.User, at: null, atUtc: null, disconnected: true));
        }
    }

    public ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        // Failing to extend means a sweep or a disconnect took it away: register it again below.
        if (FindOwned(userId, connectionId) is { } entry && entry.TryExtend(Now() + _ttl))
        {
            return new ValueTask<PresenceTransition>(PresenceTransition.None);
        }

        return new ValueTask<PresenceTransition>(Add(userId, connectionId));
    }

    public ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        var now = Now();
        var utcNow = _timeProvider.GetUtcNow();
        List<SweptUser>? swept = null;
        var processed = 0;
        var removedConnections = 0;

        // Start where the previous limited sweep stopped, so no shard starves.
        var start = _nextSweepShard;
        for (var i = 0; i < ShardCount; i++)
        {
            var index = (start + i) % ShardCount;
            var shard = _shards[index];
            lock (shard.Gate)
            {
                ForgetExpiredLocked(shard, now);
                while (NextDue(shard, now) is { } head)
                {
                    // Heartbeats extended the lease since it was queued: queue it again by its real end,
                    // even when that end is past too, so leases end in order and a user's last-seen
                    // time is the end of their last lease.
                    var leaseEnd = Volatile.Read(ref head.LeaseEnd);
                    if (leaseEnd > head.Deadline)
                    {
                        Requeue(head, leaseEnd);
                        continue;
                    }

                    if (processed == maxConnections)
                    {
                        _nextSweepShard = index;
                        return new ValueTask<SweepResult>(new SweepResult(swept ?? [], removedConnections, hasMore: true));
                    }

                    if (!head.TryExpire(leaseEnd))
                    {
                        continue; // a heartbeat extended it just now: the next turn re-queues it
                    }

                    processed++;
                    removedConnections++;
                    // Never before the user's last decided change (a status set after the lease ended but
                    // before this sweep), so a user's decision times never go backwards.
                    var leaseEndUtc = utcNow - ToTimeSpan(now - leaseEnd);
                    if (head.User.ChangedAt > leaseEndUtc)
                    {
                        leaseEndUtc = head.User.ChangedAt;
                    }

                    RemoveLocked(head);
                    var gone = ConnectionGoneLocked(head.User, leaseEnd, leaseEndUtc, disconnected: false, decidedAt: utcNow);
                    if (gone.Change == PresenceChange.WentOffline)
                    {
                        (swept ??= []).Add(new SweptUser(head.UserId, OfflineReason.Expired, leaseEndUtc, gone.Version));
                    }
                }

                while (shard.Grace.Head is UserEntry user && user.Deadline <= now)
                {
                    if (processed == maxConnections)
                    {
                        _nextSweepShard = index;
                        return new ValueTask<SweepResult>(new SweepResult(swept ?? [], removedConnections, hasMore: true));
                    }

                    processed++;
                    shard.Grace.Unlink(user);
                    GoOfflineLocked(user, user.OfflineAt, user.LastSeen);
                    user.Version = PresenceVersion.Next(user.Version, utcNow);
                    user.ChangedAt = user.LastSeen;
                    (swept ??= []).Add(new SweptUser(user.UserId, OfflineReason.Disconnected, user.LastSeen, user.Version));
                }
            }
        }

        return new ValueTask<SweepResult>(processed == 0 ? SweepResult.Empty : new SweepResult(swept ?? [], removedConnections, hasMore: false));
    }

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var online = new List<string>();
        foreach (var userId in DistinctValid(userIds))
        {
            if (IsOnline(userId))
            {
                online.Add(userId);
            }
        }

        return new ValueTask<IReadOnlyList<string>>(online);
    }

    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default)
    {
        var online = new List<string>((int)Math.Min(CountOnlineUsers(), int.MaxValue));
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                online.AddRange(shard.Online.Ids);
                AddUserIds(online, shard.Grace.Head);
            }
        }

        return new ValueTask<IReadOnlyList<string>>(online);
    }

    public ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceStatus.ThrowIfInvalid(status);
        if (!_users.TryGetValue(userId, out var user))
        {
            return new ValueTask<StatusTransition>(StatusTransition.NotOnline);
        }

        lock (user.Shard.Gate)
        {
            if (user.ConnectionCount <= 0 || user.State != UserState.Online)
            {
                return new ValueTask<StatusTransition>(StatusTransition.NotOnline);
            }

            if (string.Equals(user.Status ?? PresenceStatus.Available, status, StringComparison.Ordinal))
            {
                return new ValueTask<StatusTransition>(StatusTransition.Unchanged);
            }

            // "available" is the absence of a status, as in the Redis store: both report null for it.
            user.Status = string.Equals(status, PresenceStatus.Available, StringComparison.Ordinal) ? null : status;
            var now = _timeProvider.GetUtcNow();
            user.Version = PresenceVersion.Next(user.Version, now);
            user.ChangedAt = now;
            return new ValueTask<StatusTransition>(StatusTransition.Changed(user.Version, now));
        }
    }

    public ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var distinct = DistinctValid(userIds);
        var utcNow = _timeProvider.GetUtcNow();
        var result = new List<UserPresence>(distinct.Count);
        foreach (var userId in distinct)
        {
            UserPresence? presence = null;
            if (_users.TryGetValue(userId, out var user))
            {
                lock (user.Shard.Gate)
                {
                    if (user.IsOnline)
                    {
                        presence = new UserPresence(userId, true, user.Status, null, user.ConnectionCount, user.Version);
                    }
                    else if (user.State == UserState.Offline)
                    {
                        // Forgotten exactly at the end of the retention, whether or not a sweep has pruned the entry yet.
                        DateTimeOffset? lastSeen = utcNow - user.LastSeen < _lastSeenRetention ? user.LastSeen : null;
                        presence = new UserPresence(userId, false, null, lastSeen, 0, user.Version);
                    }
                }
            }

            result.Add(presence ?? new UserPresence(userId, false, null, null, 0, 0));
        }

        return new ValueTask<IReadOnlyList<UserPresence>>(result);
    }

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        long connections = 0;
        foreach (var shard in _shards)
        {
            connections += Volatile.Read(ref shard.ConnectionCount);
        }

        return new(new PresenceCounts(CountOnlineUsers(), connections));
    }

    private static ExpiryShard[] NewShards()
    {
        var shards = new ExpiryShard[ShardCount];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = new ExpiryShard();
        }

        return shards;
    }

    private static List<string> DistinctValid(IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        foreach (var userId in userIds)
        {
            PresenceId.ThrowIfInvalid(userId, nameof(userIds));
        }

        var distinct = new List<string>(userIds.Count);
        HashSet<string>? seen = userIds.Count > 1 ? new HashSet<string>(userIds.Count, StringComparer.Ordinal) : null;
        foreach (var userId in userIds)
        {
            if (seen is null || seen.Add(userId))
            {
                distinct.Add(userId);
            }
        }

        return distinct;
    }

    private static void AddUserIds(List<string> userIds, ExpiryNode? node)
    {
        for (; node is not null; node = node.Next)
        {
            userIds.Add(((UserEntry)node).UserId);
        }
    }

    private long CountOnlineUsers()
    {
        long remembered = 0;
        foreach (var shard in _shards)
        {
            remembered += Volatile.Read(ref shard.RememberedCount);
        }

        // Two unsynchronized reads: a racing transition may be half counted, never below zero.
        return Math.Max(0, Volatile.Read(ref _knownUsers) - remembered);
    }

    private long Now() => _coarseClock ? Environment.TickCount64 : _timeProvider.GetTimestamp();

    private long ToClockUnits(TimeSpan span)
    {
        var units = _coarseClock
            ? (Int128)Math.Ceiling(span.TotalMilliseconds)
            : (Int128)span.Ticks * _timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond;

        // Retention may be configured in years; a quarter of the range leaves room for "now + span".
        return (long)Int128.Min(units, long.MaxValue / 4);
    }

    private TimeSpan ToTimeSpan(long clockUnits) => _coarseClock
        ? TimeSpan.FromMilliseconds(clockUnits)
        : TimeSpan.FromTicks((long)((Int128)clockUnits * TimeSpan.TicksPerSecond / _timeProvider.TimestampFrequency));

    private bool IsOnline(string userId) => _users.TryGetValue(userId, out var user) && user.IsOnline;

    /// <summary>
    /// The registered connection <paramref name="connectionId"/> of <paramref name="userId"/>, or
    /// <see langword="null"/> when it is not registered; throws for bad ids and for another user's connection.
    /// </summary>
    private ConnectionEntry? FindOwned(string userId, string connectionId)
    {
        // Only valid ids are ever stored, so a hit whose owner matches proves both ids valid: the
        // common case skips validation. Every other case validates first and fails as it always did.
        ConnectionEntry? entry = null;
        if (userId is not null && connectionId is not null
            && (entry = _connections.Find(connectionId)) is not null
            && string.Equals(entry.UserId, userId, StringComparison.Ordinal))
        {
            return entry;
        }

        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        if (entry is not null)
        {
            ThrowOwnedByAnother(connectionId);
        }

        return null;
    }

    private PresenceTransition Add(string userId, string connectionId)
    {
        while (true)
        {
            var user = _users.GetOrAdd(userId, static (id, shards) => new UserEntry(id, shards[(uint)id.GetHashCode() % ShardCount]), _shards);
            var shard = user.Shard;
            lock (shard.Gate)
            {
                if (user.State == UserState.Removed)
                {
                    continue; // forgotten while we looked it up; take the fresh entry
                }

                // Try the insert first: a new connection, the common case, then costs one map operation, not two.
                var deadline = Now() + _ttl;
                var entry = new ConnectionEntry(connectionId, user, deadline);
                if (_connections.AddOrGetExisting(entry) is { } existing)
                {
                    if (!ReferenceEquals(existing.User, user))
                    {
                        ForgetIfNewLocked(user);
                        ThrowOwnedByAnother(connectionId);
                    }

                    // The same user means the same shard, whose gate we hold.
                    if (existing.TryExtend(deadline))
                    {
                        return PresenceTransition.None;
                    }

                    // Removed but still in the map cannot happen under the shard's gate; start over to be safe.
                    continue;
                }

                shard.Connections.Append(entry, deadline);

                // Append rounds the deadline up when the clock stepped back; the lease must not end before its key.
                entry.TryExtend(entry.Deadline);
                shard.ConnectionCount++;
                return ++user.ConnectionCount == 1 ? ComeOnlineLocked(user) : PresenceTransition.None;
            }
        }
    }

    /// <summary>The user's first live connection arrived. Caller holds the shard's gate.</summary>
    private PresenceTransition ComeOnlineLocked(UserEntry user)
    {
        var shard = user.Shard;
        var previous = user.State;
        switch (previous)
        {
            case UserState.Grace:
                shard.Grace.Unlink(user);
                break;
            case UserState.Offline:
                shard.Retention.Unlink(user);
                shard.RememberedCount--;
                break;
            default:
                Interlocked.Increment(ref _knownUsers);
                break;
        }

        shard.Online.Add(user);
        user.State = UserState.Online;

        // Back within the grace period: nobody was told the user left, so nobody is told they are back.
        if (previous == UserState.Grace)
        {
            return PresenceTransition.None;
        }

        var now = _timeProvider.GetUtcNow();
        user.Version = PresenceVersion.Next(user.Version, now);
        user.ChangedAt = now;
        return PresenceTransition.CameOnline(user.Version, now);
    }

    /// <summary>The connection whose lease the sweep should look at next, if its key is due by <paramref name="now"/>. Caller holds the shard's gate.</summary>
    private static ConnectionEntry? NextDue(ExpiryShard shard, long now)
    {
        var listed = (ConnectionEntry?)shard.Connections.Head;
        var refreshed = shard.Refreshed.Min;
        var next = refreshed is null || (listed is not null && listed.Deadline <= refreshed.Deadline) ? listed : refreshed;
        return next is not null && next.Deadline <= now ? next : null;
    }

    /// <summary>Moves a connection whose lease was extended into the shard's heap, keyed by its new end. Caller holds the shard's gate.</summary>
    private static void Requeue(ConnectionEntry entry, long leaseEnd)
    {
        Dequeue(entry);
        entry.Shard.Refreshed.Push(entry, leaseEnd);
    }

    /// <summary>Takes a connection out of the list or the heap it waits in. Caller holds the shard's gate.</summary>
    private static void Dequeue(ConnectionEntry entry)
    {
        if (entry.Linked)
        {
            entry.Shard.Connections.Unlink(entry);
        }
        else
        {
            entry.Shard.Refreshed.Remove(entry);
        }
    }

    /// <summary>Marks a connection removed, dequeues it and forgets it. Caller holds the shard's gate.</summary>
    private void RemoveLocked(ConnectionEntry entry)
    {
        // A heartbeat racing with this sees the mark and registers the connection again; its
        // compare-and-swap fails against this plain store, so no locked instruction is needed here.
        Volatile.Write(ref entry.LeaseEnd, ConnectionEntry.Removed);
        Dequeue(entry);
        entry.Shard.ConnectionCount--;
        _connections.Remove(entry);
    }

    /// <summary>A connection of the user was removed. Caller holds the shard's gate.</summary>
    /// <param name="user">The connection's user.</param>
    /// <param name="at">When: the end of the lease for an expiry (clock units); <see langword="null"/> for now (a disconnect), read only if needed.</param>
    /// <param name="atUtc">
    /// The same instant in UTC: the user's last-seen time if they go offline; <see langword="null"/>
    /// for now, read from the time provider only then (a wall-clock read is not free).
    /// </param>
    /// <param name="disconnected">A disconnect, which starts the grace period; an expiry never does.</param>
    /// <param name="decidedAt">The store's time of the decision, for the version floor; <see langword="null"/> for <paramref name="atUtc"/>'s instant.</param>
    private PresenceTransition ConnectionGoneLocked(UserEntry user, long? at, DateTimeOffset? atUtc, bool disconnected, DateTimeOffset? decidedAt = null)
    {
        if (--user.ConnectionCount > 0)
        {
            return PresenceTransition.None;
        }

        var offlineAt = at ?? Now();
        var lastSeen = atUtc ?? _timeProvider.GetUtcNow();

        user.Shard.Online.Remove(user);
        if (disconnected && _grace > 0)
        {
            user.OfflineAt = offlineAt;
            user.LastSeen = lastSeen;
            user.State = UserState.Grace;
            user.Shard.Grace.Append(user, offlineAt + _grace);
            return PresenceTransition.None;
        }

        GoOfflineLocked(user, offlineAt, lastSeen);
        user.Version = PresenceVersion.Next(user.Version, decidedAt ?? lastSeen);
        user.ChangedAt = lastSeen;
        return PresenceTransition.WentOffline(user.Version, lastSeen);
    }

    /// <summary>The user is offline: drop the status, remember when they were last seen. Caller holds the shard's gate.</summary>
    private void GoOfflineLocked(UserEntry user, long offlineAt, DateTimeOffset lastSeen)
    {
        user.Status = null;
        user.OfflineAt = offlineAt;
        user.LastSeen = lastSeen;
        user.State = UserState.Offline;

        // Offline times of expiries lag those of disconnects, so the list may get a deadline out of
        // order; Append then rounds it up, and the entry is pruned a little late (its last-seen time
        // is still hidden on time by GetPresenceAsync).
        user.Shard.Retention.Append(user, offlineAt + _retention);
        user.Shard.RememberedCount++;
    }

    /// <summary>Drops users whose last-seen time is past the retention; O(dropped). Caller holds the shard's gate.</summary>
    private void ForgetExpiredLocked(ExpiryShard shard, long now)
    {
        while (shard.Retention.Head is UserEntry user && user.Deadline <= now)
        {
            shard.Retention.Unlink(user);
            shard.RememberedCount--;
            Forget(user);
            Interlocked.Decrement(ref _knownUsers);
        }
    }

    /// <summary>Drops a user entry that <see cref="Add"/> created but could not use. Caller holds the shard's gate.</summary>
    private void ForgetIfNewLocked(UserEntry user)
    {
        if (user.State == UserState.New)
        {
            Forget(user);
        }
    }

    private void Forget(UserEntry user)
    {
        user.State = UserState.Removed;
        _users.TryRemove(new KeyValuePair<string, UserEntry>(user.UserId, user));
    }

    private static void ThrowOwnedByAnother(string connectionId) =>
        throw new ArgumentException(
            $"Connection '{connectionId}' is registered to another user; a connection id belongs to one user for its whole life.",
            nameof(connectionId));
}
