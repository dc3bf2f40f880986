using System.Collections.Concurrent;
using System.Globalization;

namespace Presence.Redis.Internal;

/// <summary>
/// What this node holds: its connections (with their leases), the grace periods it started, its
/// lease in each shard, each shard's epoch as last seen, and each shard's <see cref="ShardGate"/>.
/// The store, the sweeper, the lease renewer and the data-loss recovery all work on it.
/// </summary>
internal sealed class LocalNode
{
    private readonly RedisPresenceKeys _keys;
    private readonly string _baseId = Guid.NewGuid().ToString("N")[..12];
    private readonly ShardLease[] _leases;
    private readonly string?[] _epochs;
    private readonly ShardGate[] _gates;
    private readonly List<LocalConnection> _retries = [];
    private int _generation;

    public LocalNode(RedisPresenceKeys keys)
    {
        _keys = keys;
        _leases = new ShardLease[keys.ShardCount];
        _epochs = new string?[keys.ShardCount];
        _gates = new ShardGate[keys.ShardCount];
        for (var shard = 0; shard < keys.ShardCount; shard++)
        {
            _leases[shard] = NewLease(shard);
            _gates[shard] = new ShardGate();
        }
    }

    /// <summary>The connections this node holds, by connection id.</summary>
    public ConcurrentDictionary<string, LocalConnection> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>The grace periods this node started and that have not ended, by user id.</summary>
    public ConcurrentDictionary<string, LocalGrace> Graces { get; } = new(StringComparer.Ordinal);

    public int ShardCount => _leases.Length;

    /// <summary>This node's current lease in the shard.</summary>
    public ShardLease Lease(int shard) => Volatile.Read(ref _leases[shard]);

    public ShardGate Gate(int shard) => _gates[shard];

    /// <summary>
    /// Redis reported <paramref name="lost"/> gone: the node was cut off longer than its lease and
    /// another node swept it. Takes a new lease; connections counted under the old one register again
    /// with their next heartbeat. Returns whether this call replaced it (false when another did).
    /// </summary>
    public bool ReplaceLostLease(int shard, ShardLease lost) =>
        ReferenceEquals(Interlocked.CompareExchange(ref _leases[shard], NewLease(shard), lost), lost);

    /// <summary>The epoch this node last synced with for the shard, as the scripts expect it ('' when none yet).</summary>
    public string KnownEpoch(int shard) => Volatile.Read(ref _epochs[shard]) ?? string.Empty;

    /// <summary>
    /// A script reported the shard's epoch (<see langword="null"/> when it is the one the node sent).
    /// Returns true when it shows lost data: the node knew another epoch.
    /// </summary>
    public bool ObserveEpoch(int shard, string? epoch)
    {
        if (epoch is null)
        {
            return false;
        }

        var known = Volatile.Read(ref _epochs[shard]);
        if (known is null && Interlocked.CompareExchange(ref _epochs[shard], epoch, null) is null)
        {
            return false;
        }

        return epoch != Volatile.Read(ref _epochs[shard]);
    }

    /// <summary>A restore synced the shard with <paramref name="epoch"/>.</summary>
    public void SetEpoch(int shard, string epoch) => Volatile.Write(ref _epochs[shard], epoch);

    /// <summary>Whether the connection is counted in Redis under the node's current lease of its shard.</summary>
    public bool IsCounted(LocalConnection entry) =>
        Volatile.Read(ref entry.State) == LocalConnectionState.Registered && ReferenceEquals(entry.Lease, Lease(entry.Shard));

    /// <summary>
    /// A user whose last connection here went while its shard had lost its data: held like a grace
    /// period of at least one heartbeat interval, so the restore puts it back and the sweep reports the
    /// user offline then, unless another node's connection brings the user back first.
    /// </summary>
    public void HoldAsGrace(string userId, int shard, TimeProvider timeProvider, RedisStoreSettings settings)
    {
        var hold = settings.Grace > settings.HeartbeatInterval ? settings.Grace : settings.HeartbeatInterval;
        Graces[userId] = new LocalGrace(shard, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), timeProvider.GetTimestamp() + (long)(hold.TotalSeconds * timeProvider.TimestampFrequency));
    }

    /// <summary>
    /// A connection counted in Redis whose removal failed (a sweep's script, or a disconnect): the next
    /// sweep removes it as expired, so its user is reported offline once Redis answers again.
    /// </summary>
    public void RetryRemoval(LocalConnection entry)
    {
        lock (_retries)
        {
            _retries.Add(entry);
        }
    }

    /// <summary>Takes every removal waiting for a retry.</summary>
    public List<LocalConnection> TakeRetries()
    {
        lock (_retries)
        {
            var taken = new List<LocalConnection>(_retries);
            _retries.Clear();
            return taken;
        }
    }

    /// <summary>
    /// A restore rewrote the shard's record from the connections the node holds, which leave out the
    /// ones waiting for a retried removal: removing them again would take another connection's count.
    /// </summary>
    public List<LocalConnection> DropRetries(int shard)
    {
        lock (_retries)
        {
            var dropped = _retries.FindAll(entry => entry.Shard == shard);
            _retries.RemoveAll(entry => entry.Shard == shard);
            return dropped;
        }
    }

    private ShardLease NewLease(int shard) => new(
        string.Create(CultureInfo.InvariantCulture, $"{_baseId}.{Interlocked.Increment(ref _generation)}"), _keys.ForShard(shard));
}
