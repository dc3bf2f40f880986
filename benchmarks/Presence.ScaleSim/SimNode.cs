using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.ScaleSim;

/// <summary>
/// One simulated presence node: its own host built through the public API
/// (<c>AddPresence(...).AddRedisStore(...)</c>, or the shared in-memory store), its own Redis
/// connection, its hosted sweeper running, and the connections <c>i</c> with <c>i % nodes == index</c>,
/// each pinged once per heartbeat interval at its own slot (open loop, a bounded number in flight).
/// </summary>
internal sealed class SimNode : IAsyncDisposable
{
    private readonly int _index;
    private readonly SimOptions _options;
    private readonly SimState _state;
    private readonly IHost _host;
    private readonly IPresenceTracker _tracker;
    private readonly ConnectionMultiplexer? _connection;
    private readonly CrashableStore? _crashable;
    private readonly string[] _userIds;
    private readonly string[] _connectionIds;
    private readonly long[] _connectedAt;
    private readonly SemaphoreSlim _inFlight;
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeats = Task.CompletedTask;
    private long _connected;

    private SimNode(int index, SimOptions options, SimState state, IHost host, ConnectionMultiplexer? connection, CrashableStore? crashable)
    {
        _index = index;
        _options = options;
        _state = state;
        _host = host;
        _connection = connection;
        _crashable = crashable;
        _tracker = host.Services.GetRequiredService<IPresenceTracker>();
        var count = (options.Connections - index + options.Nodes - 1) / options.Nodes;
        _userIds = new string[count];
        _connectionIds = new string[count];
        _connectedAt = new long[count];
        for (var j = 0; j < count; j++)
        {
            var user = (j * options.Nodes) + index;
            _userIds[j] = EventLedger.UserId(user);
            _connectionIds[j] = "c" + user.ToString(CultureInfo.InvariantCulture);
        }

        _inFlight = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
    }

    /// <summary>Gets the node's number.</summary>
    public int Index => _index;

    /// <summary>Gets how many of the node's connections are open.</summary>
    public long Connected => Volatile.Read(ref _connected);

    /// <summary>Gets how many connections the node simulates.</summary>
    public int Count => _connectionIds.Length;

    /// <summary>Builds and starts a node.</summary>
    /// <param name="index">The node's number.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="state">The run.</param>
    /// <param name="redisConfiguration">Redis mode: the configuration string (the node opens its own connection); <see langword="null"/> in memory mode.</param>
    /// <param name="keyPrefix">The store's key prefix, or <see langword="null"/> for the default.</param>
    /// <param name="sharedStore">Memory mode: the store all nodes share.</param>
    /// <returns>The started node.</returns>
    public static async Task<SimNode> StartAsync(int index, SimOptions options, SimState state, string? redisConfiguration, string? keyPrefix, IPresenceStore? sharedStore)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "presence-scalesim-node" + index.ToString(CultureInfo.InvariantCulture) });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddProvider(new CountingLoggerProvider(index, state));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var presence = builder.Services.AddPresence(o =>
            {
                o.HeartbeatInterval = options.Heartbeat;
                o.ConnectionTtl = options.Ttl;
                o.SweepInterval = options.Sweep;
            })
            .AddEventHandler((_, presenceEvent, _) =>
            {
                state.Events.Record(index, presenceEvent);
                return ValueTask.CompletedTask;
            });

        ConnectionMultiplexer? connection = null;
        CrashableStore? crashable = null;
        if (redisConfiguration is not null)
        {
            // The node's own connection, configured as AddRedisStore(string) configures the one it
            // creates (fail fast, start without Redis), and held here so --crash can drop it.
            var configuration = ConfigurationOptions.Parse(redisConfiguration);
            configuration.AbortOnConnectFail = false;
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            configuration.ClientName = "presence-scalesim-node" + index.ToString(CultureInfo.InvariantCulture);
            connection = await ConnectionMultiplexer.ConnectAsync(configuration);
            var owned = connection;
            presence.AddRedisStore(_ => owned, keyPrefix is null ? null : o => o.KeyPrefix = keyPrefix);
        }
        else
        {
            crashable = new CrashableStore(sharedStore ?? throw new ArgumentNullException(nameof(sharedStore)));
            builder.Services.Replace(ServiceDescriptor.Singleton<IPresenceStore>(crashable));
        }

        var host = builder.Build();
        await host.StartAsync();
        var node = new SimNode(index, options, state, host, connection, crashable);

        // Connects the store (lazily on first use) and warms the path before anything is measured.
        await node._tracker.GetCountsAsync();
        return node;
    }

    /// <summary>Whether global user <paramref name="user"/> (of this node) is connected.</summary>
    /// <param name="user">The user's number; <c>user % nodes</c> must be this node.</param>
    /// <returns><see langword="true"/> when its connect succeeded.</returns>
    public bool IsConnected(int user) => Volatile.Read(ref _connectedAt[user / _options.Nodes]) != 0;

    /// <summary>Opens every connection of the node, <see cref="SimOptions.ConnectConcurrency"/> at a time.</summary>
    /// <param name="cancellationToken">Ends the ramp early.</param>
    /// <returns>A task that completes when every connect has finished.</returns>
    public async Task RampAsync(CancellationToken cancellationToken)
    {
        var gate = new SemaphoreSlim(_options.ConnectConcurrency, _options.ConnectConcurrency);
        for (var j = 0; j < _connectionIds.Length; j++)
        {
            await gate.WaitAsync(cancellationToken);
            _ = ConnectOneAsync(j, gate);
        }

        for (var k = 0; k < _options.ConnectConcurrency; k++)
        {
            await gate.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Starts the heartbeat schedule: connection <c>j</c> is due at <c>t0 + k·interval + j·interval/count</c> once it is open.</summary>
    /// <param name="t0">The schedule's origin, a Stopwatch timestamp.</param>
    public void StartHeartbeats(long t0) => _heartbeats = Task.Run(() => HeartbeatLoopAsync(t0, _stop.Token));

    /// <summary>
    /// Crashes the node: it stops pinging and its Redis connection is dropped at once (commands in
    /// flight abandoned), so neither the shutdown's goodbye nor its sweeper reach the store any more;
    /// in memory mode its view of the shared store fails every call. Its host is left as is, as a
    /// dead process would leave it. From now on its events, errors and logs do not count.
    /// </summary>
    /// <returns>A task that completes when the connection is dropped.</returns>
    public async Task CrashAsync()
    {
        _state.MarkCrashed(_index);
        await _stop.CancelAsync();
        _crashable?.Crash();
        if (_connection is not null)
        {
            await _connection.CloseAsync(allowCommandsToComplete: false);
        }
    }

    /// <summary>Stops pinging and waits (at most 10 s) for the heartbeats in flight.</summary>
    /// <returns>A task that completes when none is in flight.</returns>
    public async Task StopHeartbeatsAsync()
    {
        await _stop.CancelAsync();
        await _heartbeats;
        var waited = Stopwatch.StartNew();
        while (_inFlight.CurrentCount < _options.MaxInFlight && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Stops the host (a live node says goodbye for its connections, cut short after <paramref name="timeout"/>).</summary>
    /// <param name="timeout">The most the stop may take.</param>
    /// <returns>A task that completes when the host has stopped.</returns>
    public async Task StopAsync(TimeSpan timeout)
    {
        await StopHeartbeatsAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _host.StopAsync(cts.Token);
        }
        catch (Exception)
        {
            // A stop cut short or failing against a dropped connection: the node is going away anyway.
        }
    }

    /// <summary>Disposes the host (and with it the store) and the node's Redis connection.</summary>
    /// <returns>A task that completes when all is released.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
        catch (Exception)
        {
            // The crashed node's store may fail to dispose cleanly on its dropped connection.
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task ConnectOneAsync(int j, SemaphoreSlim gate)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _tracker.ConnectAsync(_userIds[j], _connectionIds[j]);
            var now = Stopwatch.GetTimestamp();
            Volatile.Write(ref _connectedAt[j], now);
            Interlocked.Increment(ref _connected);
            _state.ConnectLatency.Record(now - started);
        }
        catch (Exception exception)
        {
            Failed("connect", exception);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task HeartbeatLoopAsync(long t0, CancellationToken cancellationToken)
    {
        var interval = (long)(_options.Heartbeat.TotalSeconds * Stopwatch.Frequency);
        var count = _connectionIds.Length;
        if (count == 0)
        {
            return;
        }

        // Nodes' slots interleave, so the cluster-wide arrival rate is even too.
        var shift = interval / count * _index / _options.Nodes;
        var halfMillisecond = Stopwatch.Frequency / 2000;
        try
        {
            for (long round = 0; !cancellationToken.IsCancellationRequested; round++)
            {
                var roundStart = t0 + (round * interval) + shift;
                for (var j = 0; j < count; j++)
                {
                    var due = roundStart + (long)((double)j * interval / count);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > halfMillisecond)
                    {
                        await Task.Delay(Stopwatch.GetElapsedTime(0, wait), cancellationToken);
                    }

                    // Only connections open at their due time: the first ping comes within one interval of the connect.
                    var connectedAt = Volatile.Read(ref _connectedAt[j]);
                    if (connectedAt == 0 || connectedAt > due)
                    {
                        continue;
                    }

                    if (!_inFlight.Wait(0, CancellationToken.None))
                    {
                        await _inFlight.WaitAsync(cancellationToken);
                    }

                    Fire(j, due);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Fire(int j, long due)
    {
        ValueTask<PresenceTransition> pending;
        try
        {
            pending = _tracker.PingAsync(_userIds[j], _connectionIds[j]);
        }
        catch (Exception exception)
        {
            Failed("heartbeat", exception);
            _inFlight.Release();
            return;
        }

        if (pending.IsCompleted)
        {
            try
            {
                Completed(pending.Result, due);
            }
            catch (Exception exception)
            {
                Failed("heartbeat", exception);
            }
            finally
            {
                _inFlight.Release();
            }
        }
        else
        {
            _ = FinishAsync(pending, due);
        }
    }

    private async Task FinishAsync(ValueTask<PresenceTransition> pending, long due)
    {
        try
        {
            Completed(await pending, due);
        }
        catch (Exception exception)
        {
            Failed("heartbeat", exception);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private void Completed(PresenceTransition transition, long due)
    {
        if (!_state.IsCrashed(_index))
        {
            _state.Current().Completed(Stopwatch.GetTimestamp() - due, transition.Change == PresenceChange.CameOnline);
        }
    }

    private void Failed(string operation, Exception exception)
    {
        if (_state.Recording && !_state.IsCrashed(_index))
        {
            _state.Errors.Error($"node {_index} {operation}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
