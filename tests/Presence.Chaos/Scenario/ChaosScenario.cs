using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Presence.Chaos.History;
using Presence.Chaos.Infrastructure;

namespace Presence.Chaos.Scenario;

/// <summary>
/// Runs one seeded scenario: a redis-server (or a 3-master Redis Cluster), a latency proxy per node
/// (per master on a cluster), three demo nodes, one actor per user (connect, second tab, set status,
/// subscribe to and unsubscribe from other users, go silent, close, close with a ping in flight) and a
/// fault scheduler; then stops faults and actions, waits out the quiescence period and records the
/// store's final answer. Every process it starts is killed in <see cref="DisposeAsync"/>.
/// </summary>
internal sealed class ChaosScenario(ChaosOptions options, Action<string> log) : IAsyncDisposable
{
    private static readonly string[] Statuses = ["available", "away", "busy", "in a meeting"];
    private RedisDeployment? _redis;
    private readonly List<LatencyProxy> _proxies = [];
    private readonly List<DemoNode> _nodes = [];
    private readonly ConcurrentBag<ChaosSession> _sessions = [];
    private readonly ConcurrentQueue<StoreSample> _samples = new();
    private readonly List<FaultWindow> _faults = [];
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _teamOf = new(StringComparer.Ordinal);
    private int _nextSessionId;

    public IReadOnlyList<DemoNode> Nodes => _nodes;

    public async Task<ChaosRun> RunAsync(CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        _redis = options.Cluster ? await RedisDeployment.StartClusterAsync(options.ClusterMasters) : await RedisDeployment.StartStandaloneAsync();
        for (var i = 0; i < options.Nodes; i++)
        {
            LatencyProxy? proxy = null;
            if (!_redis.IsCluster)
            {
                proxy = new LatencyProxy(_redis.Masters[0].Port);
                proxy.Start();
                _proxies.Add(proxy);
            }

            _nodes.Add(new DemoNode(((char)('A' + i)).ToString(), _redis.ConnectionStringFor(proxy), ChaosOptions.NodeSettings));
        }

        await Task.WhenAll(_nodes.Select(static n => n.StartAsync()));
        for (var i = 0; i < options.Users; i++)
        {
            _teamOf[options.UserId(i)] = options.TeamOf(i);
            _tokens[options.UserId(i)] = await _nodes[0].GetTokenAsync(options.UserId(i), options.TeamOf(i));
        }

        await SeedTeamDirectoryAsync();
        log($"[chaos] {options}");
        log($"[chaos] {_redis.Describe()}; nodes {string.Join(", ", _nodes.Select(n => $"{n.Name} {n.BaseAddress} via proxy {n.RedisEndpoint}"))}");

        using var stopActions = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var actors = Enumerable.Range(0, options.Users)
            .Select(i => ActAsync(options.UserId(i), new Random(unchecked(options.Seed * 7919 + i)), stopActions.Token))
            .ToList();
        var sampler = SampleStoreAsync(new Random(unchecked(options.Seed + 17)), stopActions.Token);

        await InjectFaultsAsync(new Random(options.Seed), RunClock.Now + options.Duration.TotalSeconds, cancellationToken);

        await stopActions.CancelAsync();
        await Task.WhenAll(actors);
        await sampler;
        var quiescenceStart = RunClock.Now;
        log($"[chaos] faults and actions stopped at {quiescenceStart:0.0} s; quiescence {ChaosOptions.Quiescence.TotalSeconds:0.#} s");

        // The quiescence period is part of the scenario: leases run out, sweeps run, nothing else happens.
        await Task.Delay(ChaosOptions.Quiescence, cancellationToken);
        var checkAt = RunClock.Now;
        var finalStore = new Dictionary<string, bool?>(StringComparer.Ordinal);
        foreach (var userId in _teamOf.Keys)
        {
            finalStore[userId] = await _nodes[0].TryIsOnlineAsync(userId, cancellationToken);
        }

        return new ChaosRun
        {
            Options = options,
            Sessions = [.. _sessions.Select(static s => s.History).OrderBy(static h => h.Id)],
            Faults = [.. _faults],
            StoreSamples = [.. _samples],
            TeamOf = _teamOf,
            QuiescenceStart = quiescenceStart,
            CheckAt = checkAt,
            FinalStore = finalStore,
            Elapsed = elapsed.Elapsed,
        };
    }

    public string NodeOutputs()
    {
        var text = new StringBuilder();
        foreach (var node in _nodes)
        {
            text.AppendLine($"--- node {node.Name} ---").AppendLine(node.Output);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private async Task ActAsync(string userId, Random random, CancellationToken cancellationToken)
    {
        var mine = new List<ChaosSession>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // The pace of a user's actions is part of the scenario, not a wait for an event.
                await Task.Delay(random.Next(300, 2500), cancellationToken);
                foreach (var lost in mine.Where(static s => s.History.IsClosed).ToList())
                {
                    await lost.CloseAsync(pingInFlight: false, cause: lost.History.CloseCause ?? "lost");
                    mine.Remove(lost);
                }

                var roll = random.NextDouble();
                if (mine.Count == 0 || (mine.Count < 2 && roll < 0.08))
                {
                    var node = PickServingNode(random);
                    if (node is not null)
                    {
                        var session = Open(userId, node);
                        if (await session.StartAsync())
                        {
                            mine.Add(session);
                        }
                    }

                    continue;
                }

                var target = mine[random.Next(mine.Count)];
                if (roll < 0.45)
                {
                    await target.SetStatusAsync(Statuses[random.Next(Statuses.Length)], cancellationToken);
                }
                else if (roll < 0.52 && !target.IsSilent)
                {
                    await target.GoSilentAsync();
                }
                else if (roll < 0.66)
                {
                    await target.CloseAsync(pingInFlight: true, cause: "closed with a ping in flight");
                    mine.Remove(target);
                }
                else if (roll < 0.78)
                {
                    await target.CloseAsync(pingInFlight: false, cause: "closed");
                    mine.Remove(target);
                }
                else if (roll < 0.86)
                {
                    await target.SubscribeAsync(PickWatched(userId, random), cancellationToken);
                }
                else if (roll < 0.90 && target.Subscribed.Count > 0)
                {
                    var watched = target.Subscribed.Order(StringComparer.Ordinal).ToList();
                    await target.UnsubscribeAsync([watched[random.Next(watched.Count)]], cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Actions stop; the open sessions stay open through the quiescence period.
        }
    }

    private ChaosSession Open(string userId, DemoNode node)
    {
        var history = new SessionHistory
        {
            Id = Interlocked.Increment(ref _nextSessionId),
            UserId = userId,
            Team = _teamOf[userId],
            Node = node.Name,
            OpenedAt = RunClock.Now,
        };
        var session = new ChaosSession(history, node, _tokens[userId], ChaosOptions.HeartbeatInterval);
        _sessions.Add(session);
        return session;
    }

    /// <summary>One to three users to watch: outside the user's team, and now and then a teammate (already in its audience: at most once).</summary>
    private string[] PickWatched(string userId, Random random)
    {
        var team = _teamOf[userId];
        var picked = new HashSet<string>(StringComparer.Ordinal);
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var other = options.UserId(random.Next(options.Users));
            if (other != userId && (_teamOf[other] != team || random.NextDouble() < 0.1))
            {
                picked.Add(other);
            }
        }

        return [.. picked.Order(StringComparer.Ordinal)];
    }

    private DemoNode? PickServingNode(Random random)
    {
        var serving = _nodes.Where(static n => n.IsServing).ToList();
        return serving.Count == 0 ? null : serving[random.Next(serving.Count)];
    }

    private async Task InjectFaultsAsync(Random random, double until, CancellationToken cancellationToken)
    {
        // Warm-up: every user is connected before the first fault.
        await Task.Delay(TimeSpan.FromSeconds(6), cancellationToken);
        var kinds = options.Faults;
        var order = new List<FaultKind>();
        while (RunClock.Now < until)
        {
            if (order.Count == 0)
            {
                // Every kind once per round, in a seeded order: a one-minute smoke still sees all of them.
                order.AddRange(kinds.OrderBy(_ => random.Next()));
            }

            var kind = order[0];
            order.RemoveAt(0);
            var fault = await InjectAsync(kind, random, cancellationToken);
            lock (_faults)
            {
                _faults.Add(fault);
            }

            log($"[chaos] fault {fault}");
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 3500)), cancellationToken);
        }
    }

    private async Task<FaultWindow> InjectAsync(FaultKind kind, Random random, CancellationToken cancellationToken)
    {
        var redis = _redis!;
        var index = random.Next(_nodes.Count);
        var node = _nodes[index];
        // On a cluster, every Redis fault hits one master (its slots); standalone, the one server.
        var masterIndex = random.Next(redis.Masters.Count);
        var master = redis.Masters[masterIndex];
        var redisName = redis.IsCluster ? $"redis m{masterIndex}" : "redis";
        var hold = TimeSpan.FromMilliseconds(kind switch
        {
            FaultKind.NodeKill => random.Next(500, 3000),
            FaultKind.NodePause => random.Next(1000, 9000),
            FaultKind.RedisClientPause => random.Next(500, 4000),
            FaultKind.RedisRestartEmpty => random.Next(200, 2000),
            FaultKind.RedisLatency => random.Next(2000, 6000),
            FaultKind.RedisRestartFromSnapshot => random.Next(500, 5000),
            _ => 0,
        });
        var latency = TimeSpan.FromMilliseconds(random.Next(100, 1500));
        var down = TimeSpan.FromMilliseconds(random.Next(200, 1500));
        var start = RunClock.Now;
        string target;
        switch (kind)
        {
            case FaultKind.NodeKill:
                target = node.Name;
                await node.KillAsync();
                await Task.Delay(hold, cancellationToken);
                await node.StartAsync();
                break;
            case FaultKind.NodePause:
                target = node.Name;
                await node.PauseAsync();
                await Task.Delay(hold, cancellationToken);
                await node.ResumeAsync();
                break;
            case FaultKind.RedisClientPause:
                target = redisName;
                await master.CommandAsync("CLIENT", "PAUSE", ((int)hold.TotalMilliseconds).ToString(), "ALL");
                await Task.Delay(hold, cancellationToken);
                break;
            case FaultKind.RedisRestartEmpty:
                target = redisName;
                await master.KillAsync();
                await Task.Delay(hold, cancellationToken);
                await master.StartAsync(fromSnapshot: false);
                await redis.WaitUntilHealthyAsync();
                await SeedTeamDirectoryAsync();
                break;
            case FaultKind.RedisRestartFromSnapshot:
                // The window opens at the snapshot: whatever happens after it is lost by the restart.
                target = $"{redisName} (snapshot {hold.TotalSeconds:0.0} s old, {down.TotalSeconds:0.0} s down)";
                await master.SaveAsync();
                await Task.Delay(hold, cancellationToken);
                await master.KillAsync();
                await Task.Delay(down, cancellationToken);
                await master.StartAsync(fromSnapshot: true);
                await redis.WaitUntilHealthyAsync();
                await SeedTeamDirectoryAsync();
                break;
            case FaultKind.RedisFlushAll:
                target = redisName;
                await master.CommandAsync("FLUSHALL");
                await SeedTeamDirectoryAsync();
                break;
            case FaultKind.RedisLatency:
                if (redis.IsCluster)
                {
                    // Each master is reached through its own proxy, by every node: slow that master for all of them.
                    target = $"all nodes→{redisName} +{latency.TotalMilliseconds:0} ms";
                    redis.MasterProxies[masterIndex].Delay = latency;
                    await Task.Delay(hold, cancellationToken);
                    redis.MasterProxies[masterIndex].Delay = TimeSpan.Zero;
                }
                else
                {
                    target = $"{node.Name}→redis +{latency.TotalMilliseconds:0} ms";
                    _proxies[index].Delay = latency;
                    await Task.Delay(hold, cancellationToken);
                    _proxies[index].Delay = TimeSpan.Zero;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        return new FaultWindow(kind, target, start, RunClock.Now);
    }

    /// <summary>
    /// The demo keeps its team directory (app data, not presence) in the same Redis; a real app keeps
    /// it durable. After data loss the test writes it back at once, as that durable source would.
    /// </summary>
    private async Task SeedTeamDirectoryAsync()
    {
        var commands = new StringBuilder();
        foreach (var (userId, team) in _teamOf)
        {
            commands.Append("HSET {presence-demo}:team-of-user ").Append(userId).Append(' ').Append(team).Append('\n');
            commands.Append("SADD {presence-demo}:team:").Append(team).Append(' ').Append(userId).Append('\n');
        }

        // Every directory key carries the {presence-demo} hash tag: one slot, one master on a cluster.
        var owner = await _redis!.MasterForKeyAsync("{presence-demo}:team-of-user");
        await owner.CommandAsync([], commands.ToString());
    }

    private async Task SampleStoreAsync(Random random, CancellationToken cancellationToken)
    {
        var users = _teamOf.Keys.Order(StringComparer.Ordinal).ToArray();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(200, cancellationToken);
                var node = PickServingNode(random);
                if (node is null)
                {
                    continue;
                }

                var userId = users[random.Next(users.Length)];
                var sent = RunClock.Now;
                var online = await node.TryIsOnlineAsync(userId, cancellationToken);
                var replied = RunClock.Now;

                // A slow answer could describe any instant in between: only quick ones are evidence.
                if (online is { } value && replied - sent < 0.25)
                {
                    _samples.Enqueue(new StoreSample(userId, value, (sent + replied) / 2, node.Name));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
