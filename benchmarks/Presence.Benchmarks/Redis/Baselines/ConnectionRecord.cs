namespace Presence.Benchmarks.Redis.Baselines;

/// <summary>Baseline (b)'s per-connection JSON record.</summary>
internal sealed record ConnectionRecord(string UserId, long ConnectedAt, long LastPing);
