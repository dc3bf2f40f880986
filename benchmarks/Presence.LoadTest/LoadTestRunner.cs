using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Presence.LoadTest;

/// <summary>
/// One bounded run: start (or find) the server, sign every client in, connect them in teams,
/// let them ping for the duration, check every client sees its whole team, then stop everything.
/// </summary>
internal sealed class LoadTestRunner(LoadTestOptions options, TextWriter log)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(20);

    public async Task<LoadTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new LoadTestResult(options) { LoadAverageBefore = LoadAverage() };
        ChildProcess? redis = null;
        ChildProcess? demo = null;
        var clients = new List<LoadClient>();
        var arrivals = new List<LoadClient>();
        var run = new LoadTestRun();
        using var pinging = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pingLoops = new List<Task>();
        try
        {
            var target = options.Target;
            string? redisEndpoint = options.Redis;
            if (target is null)
            {
                if (options.Store == "redis" && redisEndpoint is null)
                {
                    (redis, redisEndpoint) = await RedisProcess.StartAsync(cancellationToken).ConfigureAwait(false);
                    log.WriteLine($"started redis-server on {redisEndpoint}");
                }

                (demo, target) = await StartServerAsync(redisEndpoint, cancellationToken).ConfigureAwait(false);
                log.WriteLine($"started the {(options.Server == "peer" ? "naive peer" : "demo")} (pid {demo.Id}) on {target}, store {options.Store}");
            }

            var server = demo is null ? null : new ProcessSampler(demo.Id);
            var redisSampler = redis is null ? null : new ProcessSampler(redis.Id);
            var selfSampler = new ProcessSampler(Environment.ProcessId);
            using var sampling = new Timer(_ =>
            {
                server?.Sample();
                redisSampler?.Sample();
                selfSampler.Sample();
            }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

            using var http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
            for (var i = 0; i < options.Clients; i++)
            {
                clients.Add(new LoadClient(run, "load-user-" + i.ToString("D6", CultureInfo.InvariantCulture), Team(i)));
            }

            for (var i = 0; i < options.Arrivals; i++)
            {
                var arrival = new LoadClient(run, "load-arrival-" + i.ToString("D6", CultureInfo.InvariantCulture), Team(i));
                run.MarkArrival(arrival.UserId);
                arrivals.Add(arrival);
            }

            using var connectPhase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectPhase.CancelAfter(options.ConnectTimeout);
            await ForEachAsync([.. clients, .. arrivals], options.ConnectConcurrency, client => SignInAsync(http, client, connectPhase.Token), run, "token").ConfigureAwait(false);

            var hubUrl = new Uri(target, "/hubs/presence");
            var warmUp = Stopwatch.StartNew();
            await WarmUpAsync(http, hubUrl, run, connectPhase.Token).ConfigureAwait(false);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {options.WarmUpClients} throw-away clients in {warmUp.Elapsed.TotalSeconds:0.0} s"));
            var connectWatch = Stopwatch.StartNew();
            server?.TakeCpu();
            var cpuAtRamp = server?.CpuSeconds();
            var redisCpuAtRamp = redisEndpoint is null || redis is null ? (double?)null : await RedisProcess.CpuSecondsAsync(redisEndpoint, cancellationToken).ConfigureAwait(false);
            await ForEachAsync(clients, options.ConnectConcurrency, async client =>
            {
                await client.ConnectAsync(hubUrl, connectPhase.Token).ConfigureAwait(false);

                // Like a real client, each pings from its first moment: its lease must not lapse while the others connect.
                lock (pingLoops)
                {
                    pingLoops.Add(client.PingLoopAsync(options.PingInterval, pinging.Token));
                }
            }, run, "connect").ConfigureAwait(false);
            connectWatch.Stop();
            server?.Sample();
            result.ConnectSeconds = connectWatch.Elapsed.TotalSeconds;
            result.Connected = clients.Count(c => c.IsConnected);
            result.ServerCpuConnect = server?.TakeCpu();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"connected {result.Connected}/{clients.Count} in {result.ConnectSeconds:0.0} s"));

            result.StaleViews = await WaitForConsistentViewsAsync(clients, cancellationToken).ConfigureAwait(false);

            // The joins' window: the ramp and the settling of every view; pings made in it are subtracted later.
            var cpuAtSteady = server?.CpuSeconds();
            var redisCpuAtSteady = redisCpuAtRamp is null ? (double?)null : await RedisProcess.CpuSecondsAsync(redisEndpoint!, cancellationToken).ConfigureAwait(false);
            var pingsAtSteady = run.PingRoundTrip.Count;
            result.Joins = result.Connected;
            result.RampPings = pingsAtSteady;
            result.RampStaleOnline = run.StaleOnlineEvents;
            result.ServerCpuRampSeconds = cpuAtSteady - cpuAtRamp;
            result.RedisCpuRampSeconds = redisCpuAtSteady - redisCpuAtRamp;
            if (redis is not null && redisEndpoint is not null)
            {
                var keys = await RedisProcess.QueryAsync(redisEndpoint, "DBSIZE", cancellationToken).ConfigureAwait(false);
                result.RedisKeys = keys.TrimStart(':');
                if (keys == ":0")
                {
                    run.Error("store", "", new InvalidOperationException("The private Redis holds no keys: the demo did not use the Redis store (Presence__Store=Redis)."));
                }
            }

            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"steady phase: {options.Duration.TotalSeconds:0} s of pings every {options.PingInterval.TotalMilliseconds:0} ms; {options.Arrivals} arrivals at {options.ArrivalRate}/s"));
            var steady = Stopwatch.StartNew();
            await ArriveAsync(arrivals, hubUrl, run, pingLoops, pinging.Token, cancellationToken).ConfigureAwait(false);
            var rest = options.Duration - steady.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
            }

            result.SteadyPings = run.PingRoundTrip.Count - pingsAtSteady;
            result.ServerCpuSteadySeconds = server?.CpuSeconds() - cpuAtSteady;
            result.RedisCpuSteadySeconds = redisCpuAtSteady is null ? null : await RedisProcess.CpuSecondsAsync(redisEndpoint!, cancellationToken).ConfigureAwait(false) - redisCpuAtSteady;
            result.ArrivalsConnected = arrivals.Count(c => c.IsConnected);
            result.StaleViews += await WaitForConsistentViewsAsync([.. clients, .. arrivals], cancellationToken).ConfigureAwait(false);
            server?.Sample();
            result.ServerCpuSteady = server?.TakeCpu();
            result.RedisCpuSteady = redisSampler?.TakeCpu();
            result.ServerRssBytes = server?.LastRssBytes;
            result.ServerPeakRssBytes = server?.PeakRssBytes;
            result.RedisRssBytes = redisSampler?.LastRssBytes;
            result.LoadClientCpu = selfSampler.TakeCpu();
            if (options.RedisUsers > 0 && redis is not null)
            {
                // The phase's own clients only: the others stop pinging and leave first.
                run.Stopping();
                await pinging.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(pingLoops).ConfigureAwait(false);
                await DisposeAllAsync([.. clients, .. arrivals]).ConfigureAwait(false);
                await new RedisPhase(options, log).RunAsync(http, hubUrl, redisEndpoint!, result, cancellationToken).ConfigureAwait(false);
            }

            result.LoadAverageAfter = LoadAverage();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            run.Error("run", "", exception);
            if (demo is not null && demo.HasExited)
            {
                log.WriteLine("the demo exited; its last output:" + Environment.NewLine + demo.Tail);
            }
        }
        finally
        {
            run.Stopping();
            await pinging.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pingLoops).ConfigureAwait(false);
            await DisposeAllAsync([.. clients, .. arrivals]).ConfigureAwait(false);
            if (demo is not null)
            {
                await demo.DisposeAsync().ConfigureAwait(false);
            }

            if (redis is not null)
            {
                await redis.DisposeAsync().ConfigureAwait(false);
            }
        }

        result.Run = run;
        return result;
    }

    private async Task<(ChildProcess Demo, Uri Target)> StartServerAsync(string? redisEndpoint, CancellationToken cancellationToken)
    {
        var peer = options.Server == "peer";
        var dll = peer
            ? options.Peer ?? Path.Combine(RepositoryRoot(), "benchmarks", "Presence.NaivePeer", "bin", "Release", "net10.0", "Presence.NaivePeer.dll")
            : options.Demo ?? Path.Combine(RepositoryRoot(), "samples", "Presence.Demo", "bin", "Release", "net10.0", "Presence.Demo.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The {options.Server} is not built at {dll}: run `dotnet build Presence.sln -c Release` first, or pass --{options.Server} or --target URL.", dll);
        }

        var port = ChildProcess.FreePort();
        var target = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        var environment = new Dictionary<string, string>
        {
            // The clients sign in at /api/dev/token, which the demo maps only in Development.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Presence__HeartbeatInterval"] = options.PingInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Presence__ConnectionTtl"] = options.EffectiveTtl.ToString("c", CultureInfo.InvariantCulture),
        };
        if (options.Store == "redis")
        {
            environment["Presence__Store"] = "Redis";
            environment["ConnectionStrings__Redis"] = redisEndpoint!;
        }

        var demo = ChildProcess.Start("dotnet", [dll, "--urls", target.ToString().TrimEnd('/')], environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ready = Stopwatch.StartNew();
        while (ready.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (demo.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(target, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return (demo, target);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        var tail = demo.Tail;
        await demo.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"The demo did not answer GET / on {target} within 60 s. Its last output:{Environment.NewLine}{tail}");
    }

    private string Team(int index) => "load-team-" + (index % options.Teams).ToString("D4", CultureInfo.InvariantCulture);

    internal static async Task SignInAsync(HttpClient http, LoadClient client, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/dev/token", new { userId = client.UserId, team = client.Team }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken).ConfigureAwait(false);
        client.AccessToken = body?.AccessToken ?? throw new InvalidOperationException("POST /api/dev/token returned no accessToken.");
    }

    /// <summary>
    /// Throw-away clients in teams of their own connect, ping and close before the ramp, then the server
    /// gets a moment to finish tiered compilation: a server that has been up for a while runs optimized
    /// code, and the ramp should measure that, not the JIT. Their failures count as errors.
    /// </summary>
    private async Task WarmUpAsync(HttpClient http, Uri hubUrl, LoadTestRun run, CancellationToken cancellationToken)
    {
        if (options.WarmUpClients == 0)
        {
            return;
        }

        var scratch = new LoadTestRun();
        var warmUp = Enumerable.Range(0, options.WarmUpClients)
            .Select(i => new LoadClient(scratch, "load-warm-up-" + i.ToString("D6", CultureInfo.InvariantCulture), "load-warm-up-" + (i % 10).ToString(CultureInfo.InvariantCulture)))
            .ToList();
        try
        {
            await ForEachAsync(warmUp, options.ConnectConcurrency, async client =>
            {
                await SignInAsync(http, client, cancellationToken).ConfigureAwait(false);
                await client.ConnectAsync(hubUrl, cancellationToken).ConfigureAwait(false);
                for (var ping = 0; ping < 3; ping++)
                {
                    await client.PingOnceAsync(cancellationToken).ConfigureAwait(false);
                }
            }, run, "warm-up").ConfigureAwait(false);
        }
        finally
        {
            scratch.Stopping();
            await DisposeAllAsync(warmUp).ConfigureAwait(false);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts one arrival every 1 / rate seconds (open loop: a slow connect does not delay the next
    /// arrival), each pinging from its first moment like the ramp's clients, and waits for all to connect.
    /// </summary>
    private async Task ArriveAsync(List<LoadClient> arrivals, Uri hubUrl, LoadTestRun run, List<Task> pingLoops, CancellationToken pingToken, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var connecting = new List<Task>(arrivals.Count);
        for (var i = 0; i < arrivals.Count; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / options.ArrivalRate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            var client = arrivals[i];
            connecting.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await client.ConnectAsync(hubUrl, cancellationToken).ConfigureAwait(false);
                        lock (pingLoops)
                        {
                            pingLoops.Add(client.PingLoopAsync(options.PingInterval, pingToken));
                        }
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        run.Error("arrival", client.UserId, exception);
                    }
                },
                cancellationToken));
        }

        await Task.WhenAll(connecting).ConfigureAwait(false);
    }

    /// <summary>Every connected client must see every connected teammate (bulk-online plus events); waits up to the settle timeout.</summary>
    internal static async Task<int> WaitForConsistentViewsAsync(List<LoadClient> clients, CancellationToken cancellationToken)
    {
        var teams = clients.Where(c => c.IsConnected).GroupBy(c => c.Team).ToDictionary(g => g.Key, g => g.Select(c => c.UserId).ToList());
        var settle = Stopwatch.StartNew();
        while (true)
        {
            var stale = clients.Count(c => c.IsConnected && !c.Sees(teams[c.Team]));
            if (stale == 0 || settle.Elapsed > SettleTimeout)
            {
                return stale;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static Task DisposeAllAsync(List<LoadClient> clients) =>
        ForEachAsync(clients, 64, async client => await client.DisposeAsync().ConfigureAwait(false), run: null, "dispose");

    internal static async Task ForEachAsync(List<LoadClient> clients, int concurrency, Func<LoadClient, Task> action, LoadTestRun? run, string phase)
    {
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(concurrency, Math.Max(clients.Count, 1))).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < clients.Count)
            {
                try
                {
                    await action(clients[index]).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    run?.Error(phase, clients[index].UserId, exception);
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Presence.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
