using System.Collections.Concurrent;
using System.Text.Json;
using StackExchange.Redis;

namespace Presence.Demo;

/// <summary>
/// The team directory every node sees, kept in the Redis the presence store and the backplane share,
/// and replicated in each node's memory so a lookup costs no Redis command.
/// </summary>
/// <remarks>
/// <para>
/// Redis holds one hash user → team, one set per team, a version counter and an epoch, all under one
/// hash tag. A join is one script (<see cref="RedisTeamDirectoryScripts.Join"/>): it moves the user
/// atomically (or does nothing when they are already on the team), bumps the version and publishes the
/// change. Every node applies the published changes to its replica in version order; a gap (a lost
/// message, a reconnect) or another epoch makes it reload the whole directory.
/// </para>
/// <para>
/// Why a replica may answer <see cref="GetMembersAsync"/>: the filter joins a connection's group before
/// the join script runs, and the join script returns the version it saw; the members lookup waits until
/// the replica has applied that version. So a member whose join came before is in the list, and one
/// whose join came after announces itself to a group the new connection is already in.
/// </para>
/// <para>
/// Data loss: this node remembers whom it joined and writes them back where missing (never over a newer
/// switch made elsewhere) when its connection is restored, and when it finds the directory emptied
/// (FLUSHALL, a restart without persistence): the epoch key is gone or new, which it notices on its next
/// join, on another node's change, or within <see cref="EpochCheckInterval"/>. Until then Redis misses
/// those users, though the replicas still answer for them. Users who joined a node that is gone are
/// written back only when they reconnect. Each node holds the whole directory: fine for a demo, not
/// for millions of users.
/// </para>
/// </remarks>
internal sealed class RedisTeamDirectory : ITeamDirectory, IAsyncDisposable
{
    /// <summary>How often a node checks that the directory was not emptied behind its back (one GET).</summary>
    public static readonly TimeSpan EpochCheckInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(2);
    private const int RestoreBatch = 500;

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisTeamDirectory> _logger;
    private readonly ITimer _epochCheck;
    private readonly Lock _gate = new();
    private readonly RedisTeamDirectoryReplica _replica = new();
    private readonly List<(long Version, TaskCompletionSource Applied)> _waiters = [];
    private readonly List<RedisTeamDirectoryChange> _pending = [];

    // What this node wrote, to write it back when Redis comes back empty: otherwise nobody would hear about users still connected.
    private readonly ConcurrentDictionary<string, string> _joinedHere = new(StringComparer.Ordinal);

    // What this node's own join scripts answered, (epoch, version, team) per user: newer than the replica
    // until its change message is applied, and the audience of that user's online event is looked up first.
    private readonly Dictionary<string, (string Epoch, long Version, string Team)> _answered = new(StringComparer.Ordinal);

    private Task? _started;
    private Task? _reloading;
    private bool _loaded;
    private ChannelMessageQueue? _changes;

    // Scripts publish to the raw channel name; the multiplexer prefixes what it subscribes to (the backplane's ChannelPrefix).
    private readonly string _publishChannel;

    public RedisTeamDirectory(IConnectionMultiplexer redis, ILogger<RedisTeamDirectory> logger, TimeProvider timeProvider)
    {
        _redis = redis;
        _logger = logger;
        _publishChannel = (string?)ConfigurationOptions.Parse(redis.Configuration).ChannelPrefix + RedisTeamDirectoryScripts.Channel;
        _redis.ConnectionRestored += OnConnectionRestored;
        _epochCheck = timeProvider.CreateTimer(_ => _ = CheckEpochAsync(), null, EpochCheckInterval, EpochCheckInterval);
    }

    public async ValueTask JoinAsync(string userId, string team, CancellationToken cancellationToken = default)
    {
        await StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _joinedHere[userId] = team;
        var reply = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(
            RedisTeamDirectoryScripts.Join,
            [RedisTeamDirectoryScripts.TeamOfUserKey, RedisTeamDirectoryScripts.VersionKey, RedisTeamDirectoryScripts.EpochKey, RedisTeamDirectoryScripts.MembersKey(team)],
            [userId, team, NewEpoch(), RedisTeamDirectoryScripts.MembersPrefix, _publishChannel]).ConfigureAwait(false))!;
        var epoch = (string)reply[0]!;
        var version = (long)reply[1];
        var previous = reply.Length > 2 ? (string?)reply[2] : null;
        lock (_gate)
        {
            _answered[userId] = (epoch, version, team);
            if (epoch != _replica.Epoch)
            {
                StartReloadLocked(restore: true);
            }
            else if (reply.Length > 2 && _loaded && version == _replica.Version + 1)
            {
                // Our own change: apply it now rather than wait for its message, which then is ignored.
                _replica.Apply(new RedisTeamDirectoryChange(epoch, version, userId, previous is { Length: > 0 } ? previous : null, team));
                ReleaseWaitersLocked();
            }

            if (epoch == _replica.Epoch)
            {
                _replica.HighWater = Math.Max(_replica.HighWater, version);
            }
        }
    }

    public async ValueTask<string?> GetTeamAsync(string userId, CancellationToken cancellationToken = default)
    {
        await StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_answered.TryGetValue(userId, out var answered))
            {
                if (answered.Epoch == _replica.Epoch && answered.Version > _replica.Version)
                {
                    return answered.Team;
                }

                // The replica has caught up with that answer (and any switch made since elsewhere).
                _answered.Remove(userId);
            }

            return _replica.TeamOf(userId);
        }
    }

    public async ValueTask<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
    {
        await StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        Task caughtUp;
        lock (_gate)
        {
            if (_replica.Version >= _replica.HighWater)
            {
                return _replica.MembersOf(team);
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((_replica.HighWater, waiter));
            caughtUp = waiter.Task;
        }

        try
        {
            await caughtUp.WaitAsync(CatchUpTimeout, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                return _replica.MembersOf(team);
            }
        }
        catch (TimeoutException)
        {
            // The change stream is stuck: answer from Redis itself and rebuild the replica.
            lock (_gate)
            {
                StartReloadLocked(restore: false);
            }

            return [.. (await _redis.GetDatabase().SetMembersAsync(RedisTeamDirectoryScripts.MembersKey(team)).ConfigureAwait(false)).Select(static m => (string)m!)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _epochCheck.DisposeAsync().ConfigureAwait(false);
        if (_changes is { } changes)
        {
            await changes.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private static string NewEpoch() => Guid.NewGuid().ToString("N");

    /// <summary>Subscribes to the changes, then loads the directory; retried on the next call if Redis was down.</summary>
    private Task StartAsync()
    {
        lock (_gate)
        {
            if (_started is null || _started.IsFaulted || _started.IsCanceled)
            {
                _started = StartCoreAsync();
            }

            return _started;
        }
    }

    private async Task StartCoreAsync()
    {
        if (_changes is null)
        {
            var changes = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisTeamDirectoryScripts.Channel)).ConfigureAwait(false);
            changes.OnMessage(message => OnChange((string)message.Message!));
            _changes = changes;
        }

        await LoadAsync().ConfigureAwait(false);
    }

    private void OnChange(string payload)
    {
        RedisTeamDirectoryChange change;
        try
        {
            change = RedisTeamDirectoryChange.Parse(payload);
        }
        catch (JsonException)
        {
            return;
        }

        lock (_gate)
        {
            if (!_loaded)
            {
                _pending.Add(change);
                return;
            }

            if (change.Epoch != _replica.Epoch)
            {
                // Another node found the directory emptied (or made it anew): reload, and write back ours.
                StartReloadLocked(restore: true);
                _pending.Add(change);
                return;
            }

            if (change.Version <= _replica.Version)
            {
                return;
            }

            if (change.Version == _replica.Version + 1 && !change.IsReload)
            {
                _replica.Apply(change);
                ReleaseWaitersLocked();
            }
            else
            {
                // A gap (a message lost) or a bulk write back: only a reload is exact.
                _replica.HighWater = Math.Max(_replica.HighWater, change.Version);
                StartReloadLocked(restore: false);
            }
        }
    }

    private void StartReloadLocked(bool restore)
    {
        if (_reloading is { IsCompleted: false })
        {
            if (restore)
            {
                _reloading = _reloading.ContinueWith(_ => ReloadAsync(restore: true), TaskScheduler.Default).Unwrap();
            }

            return;
        }

        _loaded = false;
        _reloading = ReloadAsync(restore);
    }

    private async Task ReloadAsync(bool restore)
    {
        try
        {
            if (restore)
            {
                await RestoreAsync().ConfigureAwait(false);
            }

            await LoadAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.TeamsRestoreFailed(_logger, exception);
            lock (_gate)
            {
                // Serve the last replica; the next change, reconnect or epoch check tries again.
                _loaded = true;
            }
        }
    }

    private async Task LoadAsync()
    {
        var reply = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(
            RedisTeamDirectoryScripts.Load,
            [RedisTeamDirectoryScripts.TeamOfUserKey, RedisTeamDirectoryScripts.VersionKey, RedisTeamDirectoryScripts.EpochKey],
            [NewEpoch()]).ConfigureAwait(false))!;
        var epoch = (string)reply[0]!;
        var version = (long)reply[1];
        var flat = (RedisResult[])reply[2]!;
        var teamOfUser = new Dictionary<string, string>(flat.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            teamOfUser[(string)flat[i]!] = (string)flat[i + 1]!;
        }

        lock (_gate)
        {
            if (_replica.Reset(epoch, version, teamOfUser))
            {
                // Another epoch: what the waiters waited for is older than this load.
                foreach (var (_, applied) in _waiters)
                {
                    applied.TrySetResult();
                }

                _waiters.Clear();
            }

            _loaded = true;
            var pending = _pending.Where(c => c.Epoch == epoch && c.Version > version).OrderBy(c => c.Version).ToList();
            _pending.Clear();
            foreach (var change in pending)
            {
                if (change.Version == _replica.Version + 1 && !change.IsReload)
                {
                    _replica.Apply(change);
                }
                else if (change.Version > _replica.Version)
                {
                    _replica.HighWater = Math.Max(_replica.HighWater, change.Version);
                    StartReloadLocked(restore: false);
                    break;
                }
            }

            ReleaseWaitersLocked();
        }
    }

    private void ReleaseWaitersLocked()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Version <= _replica.Version)
            {
                _waiters[i].Applied.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            // Changes published while the connection was down are lost: reload, and write back what Redis may have lost.
            if (_started is { IsCompletedSuccessfully: true })
            {
                StartReloadLocked(restore: true);
            }
        }
    }

    private async Task CheckEpochAsync()
    {
        try
        {
            string? known;
            lock (_gate)
            {
                known = _started is { IsCompletedSuccessfully: true } && _loaded ? _replica.Epoch : null;
            }

            if (known is null)
            {
                return;
            }

            var current = (string?)await _redis.GetDatabase().StringGetAsync(RedisTeamDirectoryScripts.EpochKey).ConfigureAwait(false);
            if (current != known)
            {
                lock (_gate)
                {
                    StartReloadLocked(restore: true);
                }
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Redis is away; ConnectionRestored takes over when it is back.
        }
    }

    /// <summary>Writes back this node's joins where the directory misses them: a switch made since on another node wins.</summary>
    private async Task RestoreAsync()
    {
        var database = _redis.GetDatabase();
        var restored = 0L;
        foreach (var batch in _joinedHere.ToArray().Chunk(RestoreBatch))
        {
            var arguments = new List<RedisValue>(2 + (batch.Length * 2))
            {
                NewEpoch(),
                RedisTeamDirectoryScripts.MembersPrefix,
                _publishChannel,
            };
            foreach (var (userId, team) in batch)
            {
                arguments.Add(userId);
                arguments.Add(team);
            }

            restored += (long)await database.ScriptEvaluateAsync(
                RedisTeamDirectoryScripts.Restore,
                [RedisTeamDirectoryScripts.TeamOfUserKey, RedisTeamDirectoryScripts.VersionKey, RedisTeamDirectoryScripts.EpochKey],
                [.. arguments]).ConfigureAwait(false);
        }

        if (restored > 0)
        {
            Log.TeamsRestored(_logger, (int)restored);
        }
    }
}
