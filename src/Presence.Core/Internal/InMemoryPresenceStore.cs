using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// The default <see cref="IPresenceStore"/>: one process, no global lock. Each user has its own
/// lock for connect/disconnect transitions; leases live in sharded expiry lists so a heartbeat is
/// an O(1), allocation-free move and a sweep touches only what expired.
/// </summary>
/// <remarks>Lock order, where both are taken: the user's gate, then the shard's gate.</remarks>
internal sealed class InMemoryPresenceStore : IPresenceStore
{
    private const int ShardCount = 64;

    /// <summary>Environment.TickCount64 advances in steps of up to 15.6 ms (Windows) or 10 ms (Linux at HZ=100).</summary>
    private const long CoarseClockSlackMilliseconds = 16;

    private readonly ConcurrentDictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConnectionEntry> _connections = new(StringComparer.Ordinal);
    private readonly ExpiryShard[] _shards = new ExpiryShard[ShardCount];
    private readonly TimeProvider _timeProvider;
    private readonly bool _coarseClock;
    private readonly long _ttl;
    private long _onlineUsers;
    private long _liveConnections;
    private int _nextSweepShard;

    public InMemoryPresenceStore(IOptions<PresenceOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        var ttl = options.Value.ConnectionTtl;
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), ttl, "PresenceOptions.ConnectionTtl must be positive.");
        }

        // Leases are kept in monotonic clock units, cheaper to read and compare than a DateTimeOffset.
        // TimeProvider.System's timestamp is a clock_gettime call that costs 25-50 ns on virtualized
        // hosts, more than half of a heartbeat's budget; Environment.TickCount64 reads the same
        // monotonic clock at millisecond resolution for a few nanoseconds. The lease gets one coarse
        // tick of slack so it never ends early. Any other TimeProvider (tests, custom clocks) is used as is.
        _coarseClock = ReferenceEquals(timeProvider, TimeProvider.System);
        _ttl = _coarseClock
            ? (long)Math.Ceiling(ttl.TotalMilliseconds) + CoarseClockSlackMilliseconds
            : (long)((Int128)ttl.Ticks * timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond);
        for (var i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new ExpiryShard();
        }
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

            return new ValueTask<PresenceChange>(RemoveLocked(entry));
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
        List<string>? expiredUsers = null;
        var removed = 0;
        var hasMore = false;

        // Start where the previous limited sweep stopped, so no shard starves.
        var start = _nextSweepShard;
        for (var i = 0; i < ShardCount; i++)
        {
            var index = (start + i) % ShardCount;
            var shard = _shards[index];
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

                if (removed == maxConnections)
                {
                    hasMore = true;
                    _nextSweepShard = index;
                    return new ValueTask<SweepResult>(new SweepResult(expiredUsers ?? [], removed, hasMore));
                }

                var user = head.User;
                lock (user.Gate)
                {
                    if (head.Removed)
                    {
                        continue;
                    }

                    lock (shard.Gate)
                    {
                        // A heartbeat may have won the race since we peeked.
                        if (!head.Linked || head.Deadline > now)
                        {
                            continue;
                        }

                        shard.Unlink(head);
                    }

                    removed++;
                    if (RemoveLocked(head) == PresenceChange.WentOffline)
                    {
                        (expiredUsers ??= []).Add(user.UserId);
                    }
                }
            }
        }

        return new ValueTask<SweepResult>(removed == 0 ? SweepResult.Empty : new SweepResult(expiredUsers ?? [], removed, hasMore));
    }

    public ValueTask<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        return new ValueTask<bool>(IsOnline(userId));
    }

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        foreach (var userId in userIds)
        {
            PresenceId.ThrowIfInvalid(userId, nameof(userIds));
        }

        var online = new List<string>();
        HashSet<string>? seen = userIds.Count > 1 ? new HashSet<string>(userIds.Count, StringComparer.Ordinal) : null;
        foreach (var userId in userIds)
        {
            if ((seen is null || seen.Add(userId)) && IsOnline(userId))
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
            if (Volatile.Read(ref pair.Value.ConnectionCount) > 0)
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

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        new(new PresenceCounts(Volatile.Read(ref _onlineUsers), Volatile.Read(ref _liveConnections)));

    private long Now() => _coarseClock ? Environment.TickCount64 : _timeProvider.GetTimestamp();

    private bool IsOnline(string userId) =>
        _users.TryGetValue(userId, out var user) && Volatile.Read(ref user.ConnectionCount) > 0;

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
                if (++user.ConnectionCount == 1)
                {
                    Interlocked.Increment(ref _onlineUsers);
                    return PresenceChange.CameOnline;
                }

                return PresenceChange.None;
            }
        }
    }

    /// <summary>Forgets an unlinked entry. Caller holds the user's gate.</summary>
    private PresenceChange RemoveLocked(ConnectionEntry entry)
    {
        var user = entry.User;
        entry.Removed = true;
        _connections.TryRemove(new KeyValuePair<string, ConnectionEntry>(entry.ConnectionId, entry));
        Interlocked.Decrement(ref _liveConnections);
        if (--user.ConnectionCount > 0)
        {
            return PresenceChange.None;
        }

        user.Removed = true;
        _users.TryRemove(new KeyValuePair<string, UserEntry>(user.UserId, user));
        Interlocked.Decrement(ref _onlineUsers);
        return PresenceChange.WentOffline;
    }

    /// <summary>Drops a user entry that <see cref="Add"/> created but could not use. Caller holds the user's gate.</summary>
    private void ForgetIfEmptyLocked(UserEntry user)
    {
        if (user.ConnectionCount == 0)
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
