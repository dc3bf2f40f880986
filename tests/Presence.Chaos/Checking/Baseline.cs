using Presence.Chaos.History;

namespace Presence.Chaos.Checking;

/// <summary>
/// The last snapshot (a bulk-online, or a subscribe reply) that covered a user at one watcher: whether the
/// watcher shows the user online after it, and the version below which events are the version rule's business
/// (the listing's version, or a newer one the watcher had already applied; null when the snapshot leaves the
/// user out), and whether it may be older than an event the watcher had just applied (it leaves out a user the
/// watcher heard come online moments before). The watcher's later events about the user are judged from it.
/// </summary>
internal readonly record struct Baseline(ReceivedEvent Snapshot, string Label, bool Online, long? Floor, bool Stale);
