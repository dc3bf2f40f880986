using Presence.Chaos.History;

namespace Presence.Chaos.Scenario;

/// <summary>Everything one run recorded: the truth, every watcher's history, the faults and the store samples.</summary>
internal sealed class ChaosRun
{
    public required ChaosOptions Options { get; init; }

    public required IReadOnlyList<SessionHistory> Sessions { get; init; }

    public required IReadOnlyList<FaultWindow> Faults { get; init; }

    public required IReadOnlyList<StoreSample> StoreSamples { get; init; }

    /// <summary>user → team, fixed for the run.</summary>
    public required IReadOnlyDictionary<string, string> TeamOf { get; init; }

    /// <summary>When faults and client actions stopped.</summary>
    public required double QuiescenceStart { get; init; }

    /// <summary>When the views and the store were compared with the truth.</summary>
    public required double CheckAt { get; init; }

    /// <summary>The store's answer for every user at <see cref="CheckAt"/>.</summary>
    public required IReadOnlyDictionary<string, bool?> FinalStore { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>
    /// The origin of the run's time line (<see cref="RunClock.StartUtc"/> when it was recorded): store versions
    /// convert to run seconds against it, so a re-check of a saved run uses its own (<see cref="RunClock.WithStart{T}"/>).
    /// </summary>
    public DateTimeOffset StartUtc { get; init; } = RunClock.StartUtc;
}
