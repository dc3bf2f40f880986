using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// The default <see cref="IPresenceStore"/>: one process, no global lock. Each user has its own
/// lock for connect/disconnect transitions; leases live in sharded expiry lists so a heartbeat is
/// an O(1), allocation-free move and a sweep touches only what expired.
/// </summary>
/// <remarks>
/// Lock order, where both are taken: the user's gate, then the shard's gate. Grace periods live in
/// their own shards: every grace deadline is "now + grace", so those lists stay sorted too.
/// </remarks>
internal sealed class InMemoryPresenceStore : IPresenceStore
{
    private const int ShardCount = 64;

    /// <summary>Environment.TickCount64 advances in steps of up to 15.6 ms (Windows) or 10 ms (Linux at HZ=100).</summary>
    private const long CoarseClockSlackMilliseconds = 16;

    private readonly ConcurrentDictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConnectionEntry> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<KeyValuePair<string, DateTimeOffset>> _lastSeenOrder = new();
    private readonly Lock _pruneGate = new();
    private readonly ExpiryShard[] _shards = NewShards();
    private readonly ExpiryShard[] _graceShards = NewShards();
    private readonly TimeProvider _timeProvider;
    private readonly bool _coarseClock;
    private readonly long _ttl;
    private readonly long _grace;
    private readonly TimeSpan _lastSeenRetention;
    private long _onlineUsers;
    private long _liveConnections;
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
        _lastSeenRetention = value.LastSeenRetention;
    }

    public ValueTask<PresenceChange> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        return new ValueTask<PresenceChange>(Add(userId, connectionId));
    }

    public ValueTask<PresenceChange> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        if (!_connections.TryGetValue(connectionId, out var entry))
        {
            return new ValueTask<PresenceChange>(PresenceChange.None);
        }

        ThrowIfOwnedByAnother(entry, userId, connectionId);
        var user = entry.User;
        lock (user.Gate)
        {
            if (entry.Removed)
            {
                return new ValueTask<PresenceChange>(PresenceChange.None);
            }

            lock (entry.Shard.Gate)
            {
                entry.Shard.Unlink(entry);
            }

            return new ValueTask<PresenceChange>(RemoveLocked(entry, expiredAt: null));
        }
    }

    public ValueTask<PresenceChange> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        if (_connections.TryGetValue(connectionId, out var entry))
        {
            ThrowIfOwnedByAnother(entry, userId, connectionId);
            var shard = entry.Shard;
            lock (shard.Gate)
            {
                // Not linked means a sweep or a disconnect is taking it away: register it again below.
                if (entry.Linked)
                {
                    shard.MoveToTail(entry, Now() + _ttl);
                    return new ValueTask<PresenceChange>(PresenceChange.None);
                }
            }
        }

        return new ValueTask<PresenceChange>(Add(userId, connectionId));
    }

    public ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        var now = Now();
        var utcNow = _timeProvider.GetUtcNow();
        PruneLastSeen(utcNow);

        List<SweptUser>? swept = null;
        var processed = 0;
        var removedConnections = 0;

        // Start where the previous limited sweep stopped, so no shard starves.
        var start = _nextSweepShard;
        for (var i = 0; i < ShardCount * 2; i++)
        {
            var index = (start + i) % (ShardCount * 2);
            var shard = index < ShardCount ? _shards[index] : _graceShards[index - ShardCount];
            while (true)
            {
                ConnectionEntry? head;
                lock (shard.Gate)
                {
                    head = shard.Head;
                    if (head is null || head.Deadline > now)
                    {
                        break;
                    }
                }

                if (processed == maxConnections)
                {
                    _nextSweepShard = index;
                    return new ValueTask<SweepResult>(new SweepResult(swept ?? [], removedConnections, hasMore: true));
                }

                var user = head.User;
                lock (user.Gate)
                {
                    if (head.Removed)
                    {
                        continue;
                    }

                    long deadline;
                    lock (shard.Gate)
                    {
                        // A heartbeat (or a reconnect, for a grace entry) may have won the race since we peeked.
                        if (!head.Linked || head.Deadline > now)
                        {
                            continue;
                        }

                        deadline = head.Deadline;
                        shard.Unlink(head);
                    }

                    processed++;
                    if (head.IsGrace)
                    {
                        head.Removed = true;
                        user.Grace = null;
                        ForgetUserLocked(user, head.DisconnectedAt);
                        (swept ??= []).Add(new SweptUser(user.UserId, OfflineReason.Disconnected, head.DisconnectedAt));
                        continue;
                    }

                    removedConnections++;
                    var leaseEnd = utcNow - ToTimeSpan(now - deadline);
                    if (RemoveLocked(head, leaseEnd) == PresenceChange.WentOffline)
                    {
                        (swept ??= []).Add(new SweptUser(user.UserId, OfflineReason.Expired, leaseEnd));
                    }
                }
            }
        }

        return new ValueTask<SweepResult>(processed == 0 ? SweepResult.Empty : new SweepResult(swept ?? [], removedConnections, hasMore: false));
    }

    public ValueTask<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        return new ValueTask<bool>(IsOnline(userId));
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
        var online = new List<string>((int)Math.Min(Volatile.Read(ref _onlineUsers), int.MaxValue));
        foreach (var pair in _users)
        {
            if (pair.Value.IsOnline)
            {
                online.Add(pair.Key);
            }
        }

        return new ValueTask<IReadOnlyList<string>>(online);
    }

    public ValueTask<int> GetConnectionCountAsync(string userId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        return new ValueTask<int>(_users.TryGetValue(userId, out var user) ? Math.Max(0, Volatile.Read(ref user.ConnectionCount)) : 0);
    }

    public ValueTask<bool> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceStatus.ThrowIfInvalid(status);
        if (!_users.TryGetValue(userId, out var user))
        {
            return new ValueTask<bool>(false);
        }

        lock (user.Gate)
        {
            if (user.Removed || user.ConnectionCount == 0
                || string.Equals(user.Status ?? PresenceStatus.Available, status, StringComparison.Ordinal))
            {
                return new ValueTask<bool>(false);
            }

            user.Status = status;
            return new ValueTask<bool>(true);
        }
    }

    public ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var cutoff = _timeProvider.GetUtcNow() - _lastSeenRetention;
        var result = new List<UserPresence>();
        foreach (var userId in DistinctValid(userIds))
        {
            if (_users.TryGetValue(userId, out var user) && user.IsOnline)
            {
                result.Add(new UserPresence(userId, true, Volatile.Read(ref user.Status), null, Math.Max(0, Volatile.Read(ref user.ConnectionCount))));
            }
            else
            {
                DateTimeOffset? lastSeen = _lastSeen.TryGetValue(userId, out var seen) && seen > cutoff ? seen : null;
                result.Add(new UserPresence(userId, false, null, lastSeen, 0));
            }
        }

        return new ValueTask<IReadOnlyList<UserPresence>>(result);
    }

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        new(new PresenceCounts(Volatile.Read(ref _onlineUsers), Volatile.Read(ref _liveConnections)));

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

    private long Now() => _coarseClock ? Environment.TickCount64 : _timeProvider.GetTimestamp();

    private long ToClockUnits(TimeSpan span) => _coarseClock
        ? (long)Math.Ceiling(span.TotalMilliseconds)
        : (long)((Int128)span.Ticks * _timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond);

    private TimeSpan ToTimeSpan(long clockUnits) => _coarseClock
        ? TimeSpan.FromMilliseconds(clockUnits)
        : TimeSpan.FromTicks((long)((Int128)clockUnits * TimeSpan.TicksPerSecond / _timeProvider.TimestampFrequency));

    private bool IsOnline(string userId) => _users.TryGetValue(userId, out var user) && user.IsOnline;

    private PresenceChange Add(string userId, string connectionId)
    {
        while (true)
        {
            var user = _users.GetOrAdd(userId, static id => new UserEntry(id));
            lock (user.Gate)
            {
                if (user.Removed)
                {
                    continue; // it went offline while we looked it up; take the fresh entry
                }

                if (_connections.TryGetValue(connectionId, out var existing))
                {
                    if (!ReferenceEquals(existing.User, user))
                    {
                        ForgetIfEmptyLocked(user);
                        ThrowIfOwnedByAnother(existing, userId, connectionId);
                    }

                    lock (existing.Shard.Gate)
                    {
                        if (existing.Linked)
                        {
                            existing.Shard.MoveToTail(existing, Now() + _ttl);
                            return PresenceChange.None;
                        }
                    }

                    // Unlinked but still in the map cannot happen under the user's gate; start over to be safe.
                    continue;
                }

                var shard = _shards[(uint)connectionId.GetHashCode() % ShardCount];
                var entry = new ConnectionEntry(connectionId, user, shard);
                if (!_connections.TryAdd(connectionId, entry))
                {
                    continue; // another user's writer registered this id first; the next pass reports it
                }

                lock (shard.Gate)
                {
                    shard.Append(entry, Now() + _ttl);
                }

                Interlocked.Increment(ref _liveConnections);

                // Back within the grace period: nobody was told the user left, so nobody is told they are back.
                var wasInGrace = EndGraceLocked(user);
                if (++user.ConnectionCount == 1 && !wasInGrace)
                {
                    Interlocked.Increment(ref _onlineUsers);
                    return PresenceChange.CameOnline;
                }

                return PresenceChange.None;
            }
        }
    }

    /// <summary>Forgets an unlinked connection entry. Caller holds the user's gate.</summary>
    /// <param name="entry">The entry, already unlinked.</param>
    /// <param name="expiredAt">When its lease ended, for an expiry; <see langword="null"/> for a disconnect.</param>
    private PresenceChange RemoveLocked(ConnectionEntry entry, DateTimeOffset? expiredAt)
    {
        var user = entry.User;
        entry.Removed = true;
        _connections.TryRemove(new KeyValuePair<string, ConnectionEntry>(entry.ConnectionId, entry));
        Interlocked.Decrement(ref _liveConnections);
        if (--user.ConnectionCount > 0)
        {
            return PresenceChange.None;
        }

        if (expiredAt is null && _grace > 0)
        {
            StartGraceLocked(user);
            return PresenceChange.None;
        }

        ForgetUserLocked(user, expiredAt ?? _timeProvider.GetUtcNow());
        return PresenceChange.WentOffline;
    }

    /// <summary>The user's last connection closed: keep them online until the grace period ends. Caller holds the user's gate.</summary>
    private void StartGraceLocked(UserEntry user)
    {
        var shard = _graceShards[(uint)user.UserId.GetHashCode() % ShardCount];
        var grace = new ConnectionEntry(string.Empty, user, shard, isGrace: true) { DisconnectedAt = _timeProvider.GetUtcNow() };
        lock (shard.Gate)
        {
            shard.Append(grace, Now() + _grace);
        }

        Volatile.Write(ref user.Grace, grace);
    }

    /// <summary>Cancels a pending grace period, if any. Caller holds the user's gate.</summary>
    private static bool EndGraceLocked(UserEntry user)
    {
        if (user.Grace is not { } grace)
        {
            return false;
        }

        lock (grace.Shard.Gate)
        {
            if (grace.Linked)
            {
                grace.Shard.Unlink(grace);
            }
        }

        grace.Removed = true;
        Volatile.Write(ref user.Grace, null);
        return true;
    }

    /// <summary>The user is offline: drop the entry (and its status), remember when they were last seen. Caller holds the user's gate.</summary>
    private void ForgetUserLocked(UserEntry user, DateTimeOffset offlineAt)
    {
        user.Removed = true;
        _users.TryRemove(new KeyValuePair<string, UserEntry>(user.UserId, user));
        Interlocked.Decrement(ref _onlineUsers);
        _lastSeen[user.UserId] = offlineAt;
        _lastSeenOrder.Enqueue(new KeyValuePair<string, DateTimeOffset>(user.UserId, offlineAt));
    }

    /// <summary>Forgets last-seen times past the retention; O(forgotten), as the queue is in offline order.</summary>
    private void PruneLastSeen(DateTimeOffset utcNow)
    {
        var cutoff = utcNow - _lastSeenRetention;
        lock (_pruneGate)
        {
            while (_lastSeenOrder.TryPeek(out var oldest) && oldest.Value <= cutoff && _lastSeenOrder.TryDequeue(out oldest))
            {
                // Only if it is still the user's latest record; a later offline left a newer one.
                _lastSeen.TryRemove(oldest);
            }
        }
    }

    /// <summary>Drops a user entry that <see cref="Add"/> created but could not use. Caller holds the user's gate.</summary>
    private void ForgetIfEmptyLocked(UserEntry user)
    {
        if (user.ConnectionCount == 0 && user.Grace is null)
        {
            user.Removed = true;
            _users.TryRemove(new KeyValuePair<string, UserEntry>(user.UserId, user));
        }
    }

    private static void ThrowIfOwnedByAnother(ConnectionEntry entry, string userId, string connectionId)
    {
        if (!string.Equals(entry.UserId, userId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Connection '{connectionId}' is registered to another user; a connection id belongs to one user for its whole life.",
                nameof(connectionId));
        }
    }
}
