using System.Globalization;

namespace Presence.LoadTest;

/// <summary>The end-to-end comparison's figures of one run (NaN where the run could not measure one).</summary>
internal sealed record E2eFigures(
    double ServerCpuPerPingMicroseconds,
    double ServerCpuPerJoinMilliseconds,
    double OnlineP99Milliseconds,
    double DeliveryP99Milliseconds,
    double StalePerJoin,
    double RedisCommandsPerJoin,
    double RedisScriptCommandsPerJoin,
    double RedisCommandsPerPing,
    double RedisCpuPerJoinMicroseconds,
    double RedisCpuPerPingMicroseconds,
    string JoinCommandMix,
    int Errors)
{
    /// <summary>Name, value and how to print it, in the order of the report.</summary>
    public IReadOnlyList<(string Name, double Value, string Format)> Values() =>
    [
        ("server CPU per ping (µs)", ServerCpuPerPingMicroseconds, "0.0"),
        ("server CPU per join (ms)", ServerCpuPerJoinMilliseconds, "0.00"),
        ("online event p99, connect start → watcher (ms)", OnlineP99Milliseconds, "0.0"),
        ("online event p99, server timestamp → watcher (ms)", DeliveryP99Milliseconds, "0.0"),
        ("stale online deliveries per join", StalePerJoin, "0.00"),
        ("Redis commands per join (sent by the server)", RedisCommandsPerJoin, "0.00"),
        ("  + commands run inside scripts per join", RedisScriptCommandsPerJoin, "0.00"),
        ("Redis commands per ping", RedisCommandsPerPing, "0.000"),
        ("Redis CPU per join (µs)", RedisCpuPerJoinMicroseconds, "0"),
        ("Redis CPU per ping (µs)", RedisCpuPerPingMicroseconds, "0.0"),
    ];

    public static string Format(double value, string format) =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);
}
