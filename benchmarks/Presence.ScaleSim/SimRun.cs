using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Presence.ScaleSim;

/// <summary>
/// One run: start Redis (unless given), start the nodes, ramp every connection up while the
/// heartbeat schedule already runs, hold the steady phase, optionally crash node 0 and wait for
/// the survivors to announce its users, then stop everything. 127.0.0.1 only, bounded in time.
/// </summary>
/// <param name="options">The options.</param>
/// <param name="command">The command line, for the report.</param>
/// <param name="output">Progress lines.</param>
internal sealed class SimRun(SimOptions options, string command, TextWriter output)
{
    /// <summary>Runs the simulation.</summary>
    /// <param name="cancellationToken">The run's time bound.</param>
    /// <returns>The figures.</returns>
    public async Task<SimResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var state = new SimState(options.Connections, options.Nodes);
        PrivateRedis? privateRedis = null;
        RedisMonitor? monitor = null;
        ServiceProvider? sharedStoreServices = null;
        var nodes = new List<SimNode>();
        string target;
        string? keyPrefix = null;
        try
        {
            string? configuration = null;
            IPresenceStore? sharedStore = null;
            if (options.UsesRedis)
            {
                if (options.Redis is { } given)
                {
                    configuration = given;
                    // A Redis this run did not start: its own keys, removed at the end.
                    keyPrefix = "scalesim-" + Guid.NewGuid().ToString("N")[..8];
                }
                else
                {
                    Log($"starting a private redis{(options.Cluster ? " cluster (3 masters)" : "-server")}");
                    privateRedis = await PrivateRedis.StartAsync(options.Cluster, cancellationToken);
                    configuration = privateRedis.Configuration;
                }

                target = (options.Cluster ? "Redis Cluster " : "Redis ") + configuration + (privateRedis is null ? " (given)" : " (private, --save '')");
                monitor = await RedisMonitor.ConnectAsync(configuration);
            }
            else
            {
                target = "in-memory (one store shared by the nodes)";
                var services = new ServiceCollection();
                services.AddLogging();
                services.AddPresence(o =>
                {
                    o.HeartbeatInterval = options.Heartbeat;
                    o.ConnectionTtl = options.Ttl;
                    o.SweepInterval = options.Sweep;
                });
                sharedStoreServices = services.BuildServiceProvider();
                sharedStore = sharedStoreServices.GetRequiredService<IPresenceStore>();
            }

            Log($"store: {target}; starting {options.Nodes} nodes");
            for (var i = 0; i < options.Nodes; i++)
            {
                nodes.Add(await SimNode.StartAsync(i, options, state, configuration, keyPrefix, sharedStore));
            }

            using var process = Process.GetCurrentProcess();
            var beforeRamp = monitor is null ? null : await monitor.SampleAsync();
            var cpuBeforeRamp = Cpu(process);

            // --- Ramp: every connection opens; heartbeats of the open ones run from the start.
            Log($"ramp: {options.Connections:N0} connections over {options.Nodes} nodes");
            state.Enter(SimPhase.Ramp);
            var t0 = Stopwatch.GetTimestamp();
            foreach (var node in nodes)
            {
                node.StartHeartbeats(t0);
            }

            using (var rampBound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                rampBound.CancelAfter(options.RampTimeout);
                var ramp = Task.WhenAll(nodes.Select(n => n.RampAsync(rampBound.Token)));
                while (await Task.WhenAny(ramp, Task.Delay(5000, cancellationToken)) != ramp)
                {
                    Log($"  {nodes.Sum(static n => n.Connected):N0} connected, {state.Errors.Errors} errors");
                }

                try
                {
                    await ramp;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Log($"ramp timed out after {options.RampTimeout.TotalSeconds:0} s");
                }
            }

            var rampSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var connected = nodes.Sum(static n => n.Connected);
            var rampCpu = (Cpu(process) - cpuBeforeRamp).TotalSeconds;
            var afterRamp = monitor is null ? null : await monitor.SampleAsync();
            process.Refresh();
            var workingSet = process.WorkingSet64;
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            Log($"ramp done: {connected:N0} connected in {rampSeconds:0.0} s ({connected / rampSeconds:N0}/s), {state.Errors.Errors} errors");

            // --- Steady phase.
            state.Enter(SimPhase.Steady);
            var steadyStart = Stopwatch.GetTimestamp();
            var cpuSteadyStart = Cpu(process);
            var steadyFrom = monitor is null ? null : await monitor.SampleAsync();
            var steadyEnd = steadyStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < steadyEnd)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), steadyEnd);
                await Task.Delay(left < TimeSpan.FromSeconds(10) ? left : TimeSpan.FromSeconds(10), cancellationToken);
                var steady = state.Figures(SimPhase.Steady);
                Log($"  steady {Stopwatch.GetElapsedTime(steadyStart).TotalSeconds:0} s: {steady.Heartbeats:N0} heartbeats, lateness p99 {steady.Lateness.PercentileMs(0.99):0.0} ms max {steady.Lateness.MaxMs:0.0} ms, false expiries {state.Events.FalseExpired}, errors {state.Errors.Errors}");
            }

            var steadyTo = monitor is null ? null : await monitor.SampleAsync();
            var steadySeconds = Stopwatch.GetElapsedTime(steadyStart).TotalSeconds;
            var steadyCpuShare = (Cpu(process) - cpuSteadyStart).TotalSeconds / steadySeconds;

            // --- Crash phase.
            CrashFigures? crash = null;
            if (options.Crash)
            {
                var victim = nodes[0];
                Log($"crash: node 0 ({victim.Connected:N0} connections) dies without a goodbye");
                state.Enter(SimPhase.Crash);
                await victim.CrashAsync();
                var expected = victim.Connected;
                var deadline = state.CrashedAt + (long)(options.CrashWait.TotalSeconds * Stopwatch.Frequency);
                while (state.Events.CrashAnnounced < expected && Stopwatch.GetTimestamp() < deadline)
                {
                    await Task.Delay(100, cancellationToken);
                }

                Log($"  {state.Events.CrashAnnounced:N0} of {expected:N0} announced offline; lingering {options.CrashLinger.TotalSeconds:0} s for duplicates");
                await Task.Delay(options.CrashLinger, cancellationToken);
                var (duplicates, misses, expectedUsers) = state.Events.CrashTally(0, victim.IsConnected);
                var first = state.Events.FirstCrashOffline;
                var last = state.Events.LastCrashOffline;
                crash = new CrashFigures(
                    expectedUsers,
                    state.Events.CrashAnnounced,
                    duplicates,
                    misses,
                    state.Events.CrashOnlineAgain,
                    first == long.MaxValue ? 0 : Stopwatch.GetElapsedTime(state.CrashedAt, first).TotalSeconds,
                    last == 0 ? 0 : Stopwatch.GetElapsedTime(state.CrashedAt, last).TotalSeconds);
            }

            // --- Stop: recording ends first, so the live nodes' goodbyes are not counted.
            state.Enter(SimPhase.Stopping);
            Log("stopping the nodes");
            var goodbye = privateRedis is null && options.UsesRedis ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(5);
            await Task.WhenAll(nodes.Select(n => n.StopAsync(goodbye)));

            return new SimResult
            {
                Command = command,
                Options = options,
                Started = started,
                Target = target,
                LoadBefore = loadBefore,
                LoadAfter = MachineInfo.LoadAverage(),
                Connected = connected,
                RampSeconds = rampSeconds,
                ConnectLatency = state.ConnectLatency,
                RampProcessCpuSeconds = rampCpu,
                SteadySeconds = steadySeconds,
                SteadyProcessCpuShare = steadyCpuShare,
                WorkingSetAfterRamp = workingSet,
                ManagedHeapAfterRamp = heap,
                State = state,
                Redis = beforeRamp is null ? [] : Figures(beforeRamp, afterRamp!, steadyFrom!, steadyTo!, steadySeconds),
                Crash = crash,
            };
        }
        finally
        {
            state.Enter(SimPhase.Stopping);
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            if (sharedStoreServices is not null)
            {
                await sharedStoreServices.DisposeAsync();
            }

            if (monitor is not null)
            {
                if (keyPrefix is not null)
                {
                    try
                    {
                        Log($"removed {await monitor.DeleteKeysAsync(keyPrefix):N0} keys under {keyPrefix}");
                    }
                    catch (Exception exception)
                    {
                        Log($"could not remove the keys under {keyPrefix}: {exception.Message}");
                    }
                }

                await monitor.DisposeAsync();
            }

            if (privateRedis is not null)
            {
                await privateRedis.DisposeAsync();
                Log("private redis stopped");
            }
        }
    }

    private static TimeSpan Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static List<RedisServerFigures> Figures(
        IReadOnlyList<RedisSample> beforeRamp,
        IReadOnlyList<RedisSample> afterRamp,
        IReadOnlyList<RedisSample> steadyFrom,
        IReadOnlyList<RedisSample> steadyTo,
        double steadySeconds)
    {
        var figures = new List<RedisServerFigures>();
        foreach (var to in steadyTo)
        {
            var before = beforeRamp.FirstOrDefault(s => s.Server == to.Server);
            var after = afterRamp.FirstOrDefault(s => s.Server == to.Server);
            var from = steadyFrom.FirstOrDefault(s => s.Server == to.Server);
            if (before is null || after is null || from is null)
            {
                continue;
            }

            var calls = to.Commands.ToDictionary(
                static c => c.Key,
                c => c.Value - from.Commands.GetValueOrDefault(c.Key),
                StringComparer.Ordinal);
            figures.Add(new RedisServerFigures(
                to.Server,
                after.CpuSeconds - before.CpuSeconds,
                (to.CpuSeconds - from.CpuSeconds) / steadySeconds,
                to.TotalCommands - from.TotalCommands,
                after.UsedMemory - before.UsedMemory,
                after.UsedMemory,
                calls));
        }

        return figures;
    }

    private void Log(string line) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[scalesim {DateTime.UtcNow:HH:mm:ss}] {line}"));
}
