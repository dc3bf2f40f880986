namespace Presence.Chaos.History;

internal enum FaultKind
{
    NodeKill,
    NodePause,
    RedisClientPause,
    RedisRestartEmpty,
    RedisFlushAll,
    RedisLatency,

    /// <summary><c>SAVE</c>, keep going, then SIGKILL and restart from that snapshot: the window starts at the save.</summary>
    RedisRestartFromSnapshot,
}

/// <summary>One injected fault, from its start to the moment the test undid it (run seconds).</summary>
internal sealed record FaultWindow(FaultKind Kind, string Target, double Start, double End)
{
    /// <summary>Whether the fault loses Redis data (what a restore must rebuild, and what nobody may announce).</summary>
    public bool LosesData => Kind is FaultKind.RedisRestartEmpty or FaultKind.RedisFlushAll or FaultKind.RedisRestartFromSnapshot;

    /// <summary>Whether Redis restarted: the backplane's subscriptions drop, so publications meanwhile are lost (at most once).</summary>
    public bool RestartsRedis => Kind is FaultKind.RedisRestartEmpty or FaultKind.RedisRestartFromSnapshot;

    public override string ToString() => $"{Kind} {Target} [{Start:0.000}, {End:0.000}]";
}
