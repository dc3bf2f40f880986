using System.Globalization;
using Presence.Chaos.History;

namespace Presence.Chaos.Scenario;

/// <summary>
/// What one run does. Read from the environment so a failing seed replays:
/// <c>PRESENCE_CHAOS_SEED</c> (an integer; random when unset), <c>PRESENCE_CHAOS_DURATION</c>
/// (the fault phase: seconds, or a TimeSpan such as <c>00:20:00</c>; 50 s when unset),
/// <c>PRESENCE_CHAOS_USERS</c> (36), <c>PRESENCE_CHAOS_TEAMS</c> (4) and <c>PRESENCE_CHAOS_REDIS</c>
/// (<c>standalone</c>, the default, or <c>cluster</c>: 3 masters). <c>PRESENCE_CHAOS_FAULTS</c> (comma-separated
/// <see cref="FaultKind"/> names; every kind when unset) narrows the faults to chase one defect.
/// <c>PRESENCE_CHAOS_HISTORY</c> (a saved <c>chaos-history-&lt;seed&gt;.json.gz</c>) re-checks that run instead of running one (ChaosTests).
/// </summary>
internal sealed class ChaosOptions
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ConnectionTtl = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>A user whose last connection closes stays online this long; a reconnect within it sends nothing.</summary>
    public static readonly TimeSpan OfflineGracePeriod = TimeSpan.FromMilliseconds(1500);

    public required int Seed { get; init; }

    public required TimeSpan Duration { get; init; }

    public required int Users { get; init; }

    public required int Teams { get; init; }

    public int Nodes { get; init; } = 3;

    /// <summary><c>PRESENCE_CHAOS_REDIS=cluster</c>: a 3-master Redis Cluster instead of one redis-server.</summary>
    public bool Cluster { get; init; }

    public int ClusterMasters { get; init; } = 3;

    /// <summary>The kinds injected, each once per round in a seeded order.</summary>
    public IReadOnlyList<FaultKind> Faults { get; init; } = Enum.GetValues<FaultKind>();

    /// <summary>After the faults and the clients' actions stop: every lease can run out and every sweep run.</summary>
    public static TimeSpan Quiescence => ConnectionTtl + SweepInterval + HeartbeatInterval + OfflineGracePeriod + TimeSpan.FromSeconds(3);

    /// <summary>The demo's configuration for every node (names as in docs/configuration.md).</summary>
    public static IReadOnlyDictionary<string, string> NodeSettings { get; } = new Dictionary<string, string>
    {
        ["Presence__HeartbeatInterval"] = HeartbeatInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Presence__ConnectionTtl"] = ConnectionTtl.ToString("c", CultureInfo.InvariantCulture),
        ["Presence__SweepInterval"] = SweepInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Presence__OfflineGracePeriod"] = OfflineGracePeriod.ToString("c", CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.AspNetCore.SignalR.StackExchangeRedis"] = "Information",
        ["Logging__LogLevel__StackExchange.Redis"] = "Information",
    };

    public static ChaosOptions FromEnvironment()
    {
        var seedText = Environment.GetEnvironmentVariable("PRESENCE_CHAOS_SEED");
        var seed = string.IsNullOrWhiteSpace(seedText) ? Random.Shared.Next(1, int.MaxValue) : int.Parse(seedText, CultureInfo.InvariantCulture);
        return new ChaosOptions
        {
            Seed = seed,
            Duration = ParseDuration(Environment.GetEnvironmentVariable("PRESENCE_CHAOS_DURATION")) ?? TimeSpan.FromSeconds(50),
            Users = ParseInt(Environment.GetEnvironmentVariable("PRESENCE_CHAOS_USERS")) ?? 36,
            Teams = ParseInt(Environment.GetEnvironmentVariable("PRESENCE_CHAOS_TEAMS")) ?? 4,
            Cluster = ParseRedis(Environment.GetEnvironmentVariable("PRESENCE_CHAOS_REDIS")),
            Faults = ParseFaults(Environment.GetEnvironmentVariable("PRESENCE_CHAOS_FAULTS")) ?? Enum.GetValues<FaultKind>(),
        };
    }

    public string UserId(int index) => $"u{index:000}";

    public string TeamOf(int index) => $"t{index % Teams}";

    public override string ToString() =>
        $"seed {Seed}, fault phase {Duration.TotalSeconds:0} s, {Users} users in {Teams} teams, {Nodes} nodes, "
        + $"{(Cluster ? $"Redis Cluster ({ClusterMasters} masters)" : "standalone Redis")}, OfflineGracePeriod {OfflineGracePeriod.TotalSeconds:0.###} s, "
        + $"HeartbeatInterval {HeartbeatInterval.TotalSeconds:0.###} s, ConnectionTtl {ConnectionTtl.TotalSeconds:0.###} s, "
        + $"SweepInterval {SweepInterval.TotalSeconds:0.###} s (replay: PRESENCE_CHAOS_SEED={Seed} PRESENCE_CHAOS_DURATION={Duration.TotalSeconds:0} "
        + $"PRESENCE_CHAOS_USERS={Users} PRESENCE_CHAOS_TEAMS={Teams}{(Cluster ? " PRESENCE_CHAOS_REDIS=cluster" : "")}"
        + $"{(Faults.Count == Enum.GetValues<FaultKind>().Length ? "" : $" PRESENCE_CHAOS_FAULTS={string.Join(',', Faults)}")})";

    private static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }

    private static bool ParseRedis(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "standalone" => false,
        "cluster" => true,
        _ => throw new ArgumentException($"PRESENCE_CHAOS_REDIS is '{text}': use 'standalone' (the default) or 'cluster'."),
    };

    private static FaultKind[]? ParseFaults(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(static name =>
            Enum.TryParse<FaultKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
                ? kind
                : throw new ArgumentException($"PRESENCE_CHAOS_FAULTS names '{name}': use any of {string.Join(", ", Enum.GetNames<FaultKind>())}."))];
    }

    private static int? ParseInt(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : int.Parse(text, CultureInfo.InvariantCulture);
}
