namespace Presence.LoadTest;

/// <summary>MONITOR's counts at one moment: client commands by name, and commands run inside scripts.</summary>
internal sealed record RedisCommandCount(IReadOnlyDictionary<string, long> ByCommand, long Lua)
{
    public long Client => ByCommand.Values.Sum();

    /// <summary>What happened between <paramref name="earlier"/> and this count.</summary>
    public RedisCommandCount Since(RedisCommandCount earlier) => new(
        ByCommand.ToDictionary(p => p.Key, p => p.Value - earlier.ByCommand.GetValueOrDefault(p.Key), StringComparer.OrdinalIgnoreCase),
        Lua - earlier.Lua);
}
