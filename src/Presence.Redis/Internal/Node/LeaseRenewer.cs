using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Renews this node's lease in every shard where it holds one: one script call per shard, all in
/// flight together, every <c>min(ConnectionTtl / 3, HeartbeatInterval / 2)</c>. This is all Redis hears
/// of the node's heartbeats. A renewal also notices a shard that lost its data (and restores it) and
/// a lease that was lost (the node was cut off longer than its lease: it takes a new one, and its
/// connections register again with their next heartbeat). Renewal round trips feed <see cref="HeartbeatLateness"/>.
/// </summary>
internal sealed class LeaseRenewer : IAsyncDisposable
{
    private const string Operation = "renew the node's lease";

    private readonly RedisConnection _connection;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LocalNode _node;
    private readonly DataLossRecovery _recovery;
    private readonly HeartbeatLateness _lateness;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public LeaseRenewer(RedisStoreContext context, LocalNode node, DataLossRecovery recovery, HeartbeatLateness lateness)
    {
        (_connection, _, _settings, _clock, _timeProvider, _logger) = context;
        _node = node;
        _recovery = recovery;
        _lateness = lateness;
        Period = _settings.LeaseRenewalPeriod;
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>How often the lease is renewed.</summary>
    public TimeSpan Period { get; }

    /// <summary>Renews every lease the node holds now; also ends grace periods past their end. Throws when Redis cannot be reached.</summary>
    public async Task RenewAsync()
    {
        var now = _timeProvider.GetTimestamp();
        foreach (var pair in _node.Graces)
        {
            if (pair.Value.EndsAt <= now)
            {
                _node.Graces.TryRemove(pair);
            }
        }

        var database = await _connection.GetDatabaseAsync(Operation).ConfigureAwait(false);
        var clock = _clock.Argument();
        var started = Stopwatch.GetTimestamp();
        var calls = new List<(int Shard, ShardLease Lease, Task<RedisResult> Call)>();
        for (var shard = 0; shard < _node.ShardCount; shard++)
        {
            var lease = _node.Lease(shard);
            if (lease.Created)
            {
                calls.Add((shard, lease, database.ScriptEvaluateAsync(
                    RedisScripts.Renew, lease.Keys, [lease.Id, clock, _settings.TtlMilliseconds, _node.KnownEpoch(shard)])));
            }
        }

        Exception? failure = null;
        foreach (var (shard, lease, call) in calls)
        {
            RenewReply reply;
            try
            {
                reply = RenewReply.Read(await call.ConfigureAwait(false));
            }
            catch (Exception exception) when (RedisConnection.IsFailure(exception))
            {
                failure ??= exception;
                continue;
            }

            switch (reply.Lease)
            {
                case LeaseStatus.Held:
                    _node.ObserveEpoch(shard, reply.Epoch);
                    break;
                case LeaseStatus.Lost:
                    if (_node.ReplaceLostLease(shard, lease))
                    {
                        Log.LeaseLost(_logger, shard, (long)_settings.Ttl.TotalMilliseconds);
                    }

                    break;
                default:
                    await _recovery.RestoreAsync(shard).ConfigureAwait(false);
                    break;
            }
        }

        if (calls.Count > 0)
        {
            _lateness.Observe(started, calls.Count);
        }

        if (failure is not null)
        {
            throw _connection.Unavailable(Operation, failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Period, _timeProvider);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await RenewAsync().ConfigureAwait(false);
                }
#pragma warning disable CA1031 // One failed renewal must not end the renewals: the next tick tries again.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    Log.LeaseRenewalFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
