using System.Diagnostics;

namespace Presence.ScaleSim;

/// <summary>What all nodes of one run share: the phase, which nodes crashed, the per-phase heartbeat figures, errors and events.</summary>
internal sealed class SimState
{
    private readonly bool[] _crashed;
    private readonly PhaseFigures[] _phases = [new(), new(), new(), new()];
    private int _phase;
    private int _recording = 1;

    /// <summary>Initializes a new instance of the <see cref="SimState"/> class.</summary>
    /// <param name="connections">Connections (one user each), numbered 0 to <paramref name="connections"/> - 1.</param>
    /// <param name="nodes">Nodes; user <c>i</c> lives on node <c>i % nodes</c>.</param>
    public SimState(int connections, int nodes)
    {
        Connections = connections;
        Nodes = nodes;
        _crashed = new bool[nodes];
        Events = new EventLedger(this);
    }

    /// <summary>Gets the number of connections.</summary>
    public int Connections { get; }

    /// <summary>Gets the number of nodes.</summary>
    public int Nodes { get; }

    /// <summary>Gets the errors and warnings of live nodes.</summary>
    public ErrorLog Errors { get; } = new();

    /// <summary>Gets the latency of every successful connect.</summary>
    public LatencyHistogram ConnectLatency { get; } = new();

    /// <summary>Gets the presence events the live nodes received.</summary>
    public EventLedger Events { get; }

    /// <summary>Gets the current phase.</summary>
    public SimPhase Phase => (SimPhase)Volatile.Read(ref _phase);

    /// <summary>Gets a value indicating whether events, errors and warnings are still recorded (false once the nodes start stopping).</summary>
    public bool Recording => Volatile.Read(ref _recording) != 0;

    /// <summary>Gets the Stopwatch timestamp of the crash, or 0.</summary>
    public long CrashedAt { get; private set; }

    /// <summary>The figures of one phase.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>Its figures.</returns>
    public PhaseFigures Figures(SimPhase phase) => _phases[(int)phase];

    /// <summary>The figures of the current phase.</summary>
    /// <returns>Its figures.</returns>
    public PhaseFigures Current() => _phases[Volatile.Read(ref _phase)];

    /// <summary>Moves to <paramref name="phase"/>.</summary>
    /// <param name="phase">The next phase.</param>
    public void Enter(SimPhase phase)
    {
        Volatile.Write(ref _phase, (int)phase);
        if (phase == SimPhase.Stopping)
        {
            Volatile.Write(ref _recording, 0);
        }
    }

    /// <summary>Whether <paramref name="node"/> has crashed (its events, errors and logs no longer count).</summary>
    /// <param name="node">The node.</param>
    /// <returns><see langword="true"/> once crashed.</returns>
    public bool IsCrashed(int node) => Volatile.Read(ref _crashed[node]);

    /// <summary>Marks <paramref name="node"/> crashed, now.</summary>
    /// <param name="node">The node.</param>
    public void MarkCrashed(int node)
    {
        CrashedAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _crashed[node], true);
    }
}
