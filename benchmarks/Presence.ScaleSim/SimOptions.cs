using System.Globalization;

namespace Presence.ScaleSim;

/// <summary>The simulator's command line. Every Redis it talks to is on 127.0.0.1 or localhost.</summary>
internal sealed class SimOptions
{
    /// <summary>The usage text printed by <c>--help</c> and after a bad argument.</summary>
    public const string Usage = """
        Presence scale simulator: N presence nodes in one process (each its own DI host built with
        AddPresence(...).AddRedisStore(...) or the in-memory store, and its own Redis connection), M
        connections spread over them, open-loop heartbeats, every node's sweeper running.
          --connections N          connections (one user each), default 1000000
          --nodes N                simulated nodes, default 4
          --heartbeat 25s          HeartbeatInterval: each connection is pinged once per interval,
                                   the connections' due times spread evenly over it
          --ttl 30s                ConnectionTtl (must exceed --heartbeat)
          --sweep 1s               SweepInterval
          --duration 120s          steady phase after the ramp (ms, s or m suffix; at most 60m)
          --store redis|memory     default redis; memory = one in-memory store shared by the nodes
          --redis HOST:PORT[,...]  an existing Redis on 127.0.0.1 (a node list with --cluster);
                                   default: start a private redis-server (or cluster) and stop it at the end
          --cluster                a 3-master Redis Cluster (private unless --redis names one)
          --crash                  after the steady phase, crash node 0 (no goodbye) and measure how
                                   its users are announced offline by the survivors
          --max-in-flight N        heartbeats in flight per node, default 16384
          --connect-concurrency N  connects in flight per node during the ramp, default 512
          --ramp-timeout 300s      the most the ramp may take
          --report PATH            also write a markdown report there
        Exit code: 0 clean; 1 false expiries, errors, or a crashed node's user announced twice or
        missed; 2 bad arguments; 3 the run overran its time bound.
        """;

    /// <summary>Gets the number of simulated connections (one user each).</summary>
    public int Connections { get; private set; } = 1_000_000;

    /// <summary>Gets the number of simulated nodes.</summary>
    public int Nodes { get; private set; } = 4;

    /// <summary>Gets the heartbeat interval.</summary>
    public TimeSpan Heartbeat { get; private set; } = TimeSpan.FromSeconds(25);

    /// <summary>Gets the connection TTL.</summary>
    public TimeSpan Ttl { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the sweep interval.</summary>
    public TimeSpan Sweep { get; private set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the length of the steady phase.</summary>
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(120);

    /// <summary>Gets the store: <c>redis</c> or <c>memory</c>.</summary>
    public string Store { get; private set; } = "redis";

    /// <summary>Gets the existing Redis to use, or <see langword="null"/> to start a private one.</summary>
    public string? Redis { get; private set; }

    /// <summary>Gets a value indicating whether Redis is a cluster.</summary>
    public bool Cluster { get; private set; }

    /// <summary>Gets a value indicating whether node 0 is crashed after the steady phase.</summary>
    public bool Crash { get; private set; }

    /// <summary>Gets the most heartbeats in flight per node.</summary>
    public int MaxInFlight { get; private set; } = 16_384;

    /// <summary>Gets the most connects in flight per node during the ramp.</summary>
    public int ConnectConcurrency { get; private set; } = 512;

    /// <summary>Gets the most the ramp may take.</summary>
    public TimeSpan RampTimeout { get; private set; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets the markdown report's path, if any.</summary>
    public string? Report { get; private set; }

    /// <summary>Gets a value indicating whether the nodes use Redis.</summary>
    public bool UsesRedis => Store == "redis";

    /// <summary>Gets how long the crash phase waits at most for the crashed node's users to be announced offline.</summary>
    public TimeSpan CrashWait => Ttl + Sweep + TimeSpan.FromSeconds(15);

    /// <summary>Gets how long the crash phase goes on after the last expected announcement, to catch duplicates.</summary>
    public TimeSpan CrashLinger => TimeSpan.FromSeconds(Math.Max(3, Sweep.TotalSeconds * 3));

    /// <summary>Gets the time bound of the whole run; past it the run is cancelled.</summary>
    public TimeSpan Bound => RampTimeout + Duration + (Crash ? CrashWait + CrashLinger : TimeSpan.Zero) + TimeSpan.FromSeconds(120);

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The options.</returns>
    public static SimOptions Parse(string[] args)
    {
        var options = new SimOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--connections": options.Connections = PositiveInt(name, Value()); break;
                case "--nodes": options.Nodes = PositiveInt(name, Value()); break;
                case "--heartbeat": options.Heartbeat = ParseDuration(name, Value()); break;
                case "--ttl": options.Ttl = ParseDuration(name, Value()); break;
                case "--sweep": options.Sweep = ParseDuration(name, Value()); break;
                case "--duration": options.Duration = ParseDuration(name, Value()); break;
                case "--store":
                    options.Store = Value().ToLowerInvariant();
                    if (options.Store is not ("memory" or "redis"))
                    {
                        throw new ArgumentException($"--store must be memory or redis, not '{options.Store}'.");
                    }

                    break;
                case "--redis": options.Redis = RequireLoopback(name, Value()); break;
                case "--cluster": options.Cluster = true; break;
                case "--crash": options.Crash = true; break;
                case "--max-in-flight": options.MaxInFlight = PositiveInt(name, Value()); break;
                case "--connect-concurrency": options.ConnectConcurrency = PositiveInt(name, Value()); break;
                case "--ramp-timeout": options.RampTimeout = ParseDuration(name, Value()); break;
                case "--report": options.Report = Value(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (options.Ttl <= options.Heartbeat)
        {
            throw new ArgumentException("--ttl must be longer than --heartbeat.");
        }

        if (options.Duration > TimeSpan.FromMinutes(60))
        {
            throw new ArgumentException("--duration is bounded: at most 60m.");
        }

        if (options.Crash && options.Nodes < 2)
        {
            throw new ArgumentException("--crash needs at least 2 --nodes: the survivors announce the crashed node's users.");
        }

        if (options.Redis is not null || options.Cluster)
        {
            if (options.Store == "memory" && args.Contains("--store"))
            {
                throw new ArgumentException("--redis and --cluster need --store redis.");
            }

            options.Store = "redis";
        }

        return options;
    }

    private static string RequireLoopback(string name, string value)
    {
        foreach (var endpoint in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = endpoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new ArgumentException($"{name} must be host:port (comma-separated for a cluster), not '{value}'.");
            }

            if (endpoint[..colon] is not ("127.0.0.1" or "localhost"))
            {
                throw new ArgumentException($"{name} {endpoint}: the simulator only talks to a Redis on 127.0.0.1 or localhost.");
            }
        }

        return value;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");

    private static TimeSpan ParseDuration(string name, string value)
    {
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : value.EndsWith('m') ? (value[..^1], 60.0)
            : (value, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0 && amount < 86_400
            ? TimeSpan.FromSeconds(amount * unit)
            : throw new ArgumentException($"{name} must be a positive duration like 500ms, 30s or 2m, not '{value}'.");
    }
}
