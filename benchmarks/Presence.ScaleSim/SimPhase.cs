namespace Presence.ScaleSim;

/// <summary>The phases of a run; heartbeat figures are kept per phase.</summary>
internal enum SimPhase
{
    /// <summary>Connections are being opened (heartbeats of the open ones already run).</summary>
    Ramp = 0,

    /// <summary>Everyone is connected and pinging: the measured phase.</summary>
    Steady = 1,

    /// <summary>Node 0 has crashed; the survivors go on pinging and sweeping.</summary>
    Crash = 2,

    /// <summary>Recording has ended; the nodes are stopping.</summary>
    Stopping = 3,
}
