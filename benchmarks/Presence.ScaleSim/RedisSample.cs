namespace Presence.ScaleSim;

/// <summary>One Redis server's counters at one instant, from <c>INFO</c> and <c>INFO commandstats</c>.</summary>
/// <param name="Server">The server's endpoint.</param>
/// <param name="CpuSeconds"><c>used_cpu_sys + used_cpu_user</c>.</param>
/// <param name="UsedMemory"><c>used_memory</c>, bytes.</param>
/// <param name="TotalCommands"><c>total_commands_processed</c>.</param>
/// <param name="Commands">Calls per command (<c>cmdstat_*</c>), commands run inside scripts included.</param>
internal sealed record RedisSample(string Server, double CpuSeconds, long UsedMemory, long TotalCommands, IReadOnlyDictionary<string, long> Commands);
