using Presence.Chaos.History;

namespace Presence.Chaos.Checking;

/// <summary>
/// The last snapshot (a bulk-online, or a subscribe reply) that covered a user at one watcher: whether it
/// listed the user online, and with which version. The watcher's later events about the user are judged from it.
/// </summary>
internal readonly record struct Baseline(ReceivedEvent Snapshot, string Label, bool Listed, long Version);
