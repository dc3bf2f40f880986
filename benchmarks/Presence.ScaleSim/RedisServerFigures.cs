namespace Presence.ScaleSim;

/// <summary>One Redis server's share of a run.</summary>
/// <param name="Server">The endpoint.</param>
/// <param name="RampCpuSeconds">Redis CPU spent during the ramp.</param>
/// <param name="SteadyCpuShare">Redis CPU over the steady phase divided by its wall time (cores).</param>
/// <param name="SteadyCommands">Commands processed during the steady phase.</param>
/// <param name="MemoryAddedByRamp">used_memory after the ramp minus before it, bytes.</param>
/// <param name="UsedMemoryAfterRamp">used_memory after the ramp, bytes.</param>
/// <param name="SteadyCommandCalls">Calls per command during the steady phase.</param>
internal sealed record RedisServerFigures(
    string Server,
    double RampCpuSeconds,
    double SteadyCpuShare,
    long SteadyCommands,
    long MemoryAddedByRamp,
    long UsedMemoryAfterRamp,
    IReadOnlyDictionary<string, long> SteadyCommandCalls);
