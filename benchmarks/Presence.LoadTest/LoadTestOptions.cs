using System.Globalization;

namespace Presence.LoadTest;

/// <summary>The command line. Every network target must be 127.0.0.1 or localhost.</summary>
internal sealed class LoadTestOptions
{
    public const string Usage = """
        Presence load test: drives N SignalR WebSocket clients in teams against the demo server.
          --clients N              clients (users), default 2000
          --teams N                teams (each client joins team i mod N), default 100
          --duration 30s           steady phase after everyone connected (ms, s or m suffix)
          --ping-interval 1s       each client's presence:ping interval (the server's HeartbeatInterval)
          --ttl 3s                 the server's ConnectionTtl (default 3 x ping interval)
          --store memory|redis     the demo's store, default memory (redis with --target demo|peer; ignored with --target URL)
          --redis 127.0.0.1:PORT   Redis for --store redis (default: start a private redis-server)
          --target demo|peer|URL   the server to start: the demo (default) or the naive Redis peer
                                   (benchmarks/Presence.NaivePeer; implies --store redis), or the URL
                                   http://127.0.0.1:PORT of an already running demo
          --demo PATH              the demo's dll (default samples/Presence.Demo/bin/Release/net10.0/Presence.Demo.dll)
          --peer PATH              the peer's dll (default benchmarks/Presence.NaivePeer/bin/Release/net10.0/Presence.NaivePeer.dll)
          --redis-users N          with a private Redis: after the steady phase, N users join one team one
                                   by one under MONITOR, then ping, for Redis commands per join and per ping;
                                   default 200, 0 for none
          --compare N              the end-to-end comparison: N alternating runs of each target (demo, peer,
                                   demo, peer, ...) on Redis, medians and ratios (benchmarks/results/e2e)
          --connect-concurrency N  connects in flight at once during the ramp, default 32
          --warm-up-clients N      throw-away clients connected, pinged and closed before the ramp,
                                   so the server's JIT tiering is not charged to the ramp; default 200, 0 for none
          --arrivals N             users who arrive one by one during the steady phase, on top of the
                                   --clients already online and pinging; default clients / 10
          --arrival-rate N         arrivals per second (open loop), default 20
          --connect-timeout 120s   the most the connect phase may take
          --report PATH            also write a markdown report there
        Exit code: 0 no errors, 1 errors seen, 2 bad arguments, 3 the run overran its time bound.
        """;

    public int Clients { get; private set; } = 2000;

    public int Teams { get; private set; } = 100;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(30);

    public TimeSpan PingInterval { get; private set; } = TimeSpan.FromSeconds(1);

    public TimeSpan? Ttl { get; private set; }

    public string Store { get; private set; } = "memory";

    public string? Redis { get; private set; }

    public Uri? Target { get; private set; }

    /// <summary>The server this run starts: <c>demo</c> or <c>peer</c> (ignored with a <see cref="Target"/> URL).</summary>
    public string Server { get; private set; } = "demo";

    public string? Demo { get; private set; }

    public string? Peer { get; private set; }

    public int RedisUsers { get; private set; } = 200;

    /// <summary>Runs of each target in the comparison; 0 for one plain run.</summary>
    public int Compare { get; private set; }

    /// <summary>The same options for one run of the comparison against <paramref name="server"/>.</summary>
    public LoadTestOptions ForServer(string server)
    {
        var copy = (LoadTestOptions)MemberwiseClone();
        copy.Server = server;
        copy.Store = "redis";
        copy.Compare = 0;
        copy.Report = null;
        return copy;
    }

    public int ConnectConcurrency { get; private set; } = 32;

    public TimeSpan ConnectTimeout { get; private set; } = TimeSpan.FromSeconds(120);

    public int WarmUpClients { get; private set; } = 200;

    public int? ArrivalCount { get; private set; }

    public int ArrivalRate { get; private set; } = 20;

    /// <summary>Steady-phase arrivals: by default a tenth of the clients, so the ramp stays the main load.</summary>
    public int Arrivals => ArrivalCount ?? Clients / 10;

    /// <summary>How long the arrivals take to start, at <see cref="ArrivalRate"/> per second.</summary>
    public TimeSpan ArrivalSpan => TimeSpan.FromSeconds((double)Arrivals / ArrivalRate);

    public string? Report { get; private set; }

    public TimeSpan EffectiveTtl => Ttl ?? PingInterval * 3;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static LoadTestOptions Parse(string[] args)
    {
        var options = new LoadTestOptions();
        var storeGiven = false;
        var serverGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--clients": options.Clients = PositiveInt(name, Value()); break;
                case "--teams": options.Teams = PositiveInt(name, Value()); break;
                case "--duration": options.Duration = ParseDuration(name, Value()); break;
                case "--ping-interval": options.PingInterval = ParseDuration(name, Value()); break;
                case "--ttl": options.Ttl = ParseDuration(name, Value()); break;
                case "--store":
                    storeGiven = true;
                    options.Store = Value().ToLowerInvariant();
                    if (options.Store is not ("memory" or "redis"))
                    {
                        throw new ArgumentException($"--store must be memory or redis, not '{options.Store}'.");
                    }

                    break;
                case "--redis": options.Redis = Loopback.RequireEndpoint(name, Value()); break;
                case "--target":
                    var target = Value();
                    if (target is "demo" or "peer")
                    {
                        options.Server = target;
                        serverGiven = true;
                    }
                    else
                    {
                        options.Target = Loopback.RequireUri(name, target);
                    }

                    break;
                case "--demo": options.Demo = Value(); break;
                case "--peer": options.Peer = Value(); break;
                case "--redis-users": options.RedisUsers = NonNegativeInt(name, Value()); break;
                case "--compare": options.Compare = PositiveInt(name, Value()); break;
                case "--connect-concurrency": options.ConnectConcurrency = PositiveInt(name, Value()); break;
                case "--connect-timeout": options.ConnectTimeout = ParseDuration(name, Value()); break;
                case "--report": options.Report = Value(); break;
                case "--warm-up-clients": options.WarmUpClients = NonNegativeInt(name, Value()); break;
                case "--arrivals": options.ArrivalCount = NonNegativeInt(name, Value()); break;
                case "--arrival-rate": options.ArrivalRate = PositiveInt(name, Value()); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        // The comparison's steady phase is pings only, so its CPU divides by pings alone.
        if (options.Compare > 0)
        {
            options.ArrivalCount ??= 0;
        }

        if (options.EffectiveTtl <= options.PingInterval)
        {
            throw new ArgumentException("--ttl must be longer than --ping-interval.");
        }

        if (options.ArrivalSpan >= options.Duration)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"--arrivals {options.Arrivals} at --arrival-rate {options.ArrivalRate}/s take {options.ArrivalSpan.TotalSeconds:0.#} s, longer than --duration {options.Duration.TotalSeconds:0.#} s: lower --arrivals or raise --duration."));
        }

        // The comparison is on Redis: --target demo means the demo on Redis unless --store says otherwise.
        if (options.Redis is not null || options.Server == "peer" || options.Compare > 0 || (serverGiven && !storeGiven))
        {
            options.Store = "redis";
        }

        return options;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");

    private static int NonNegativeInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{name} must be a whole number, 0 or more, not '{value}'.");

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
