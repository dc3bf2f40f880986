namespace Presence.Internal;

/// <summary>
/// One known user in the in-memory store: online, in the grace period, or offline but remembered
/// for its last-seen time. Kept across transitions, so going offline and back allocates nothing.
/// Fields are written under <see cref="ExpiryShard.Gate"/> of <see cref="Shard"/>.
/// </summary>
internal sealed class UserEntry(string userId, ExpiryShard shard) : ExpiryNode
{
    public readonly string UserId = userId;
    public readonly ExpiryShard Shard = shard;
    public int ConnectionCount;
    public UserState State;

    /// <summary>The position in the shard's <see cref="ExpiryShard.Online"/> arrays while <see cref="UserState.Online"/>, else -1.</summary>
    public int OnlineIndex = -1;

    /// <summary>The version of the user's last presence change (<see cref="PresenceVersion.Next"/>); kept while the user is remembered offline.</summary>
    public long Version;

    /// <summary>The store's time of the change that set <see cref="Version"/>.</summary>
    public DateTimeOffset ChangedAt;

    /// <summary>The status the user set, or <see langword="null"/> (available).</summary>
    public string? Status;

    /// <summary>When the user went offline, or the grace period started (store clock units); meaningful in <see cref="UserState.Grace"/> and <see cref="UserState.Offline"/>.</summary>
    public long OfflineAt;

    /// <summary>
    /// <see cref="OfflineAt"/> in UTC, read from the time provider when it happened (not derived from the
    /// coarse clock), so it matches the timestamp of the offline event the tracker publishes.
    /// </summary>
    public DateTimeOffset LastSeen;

    /// <summary>Online: a live connection, or inside the grace period. Safe to read without the gate (an int-sized read is atomic).</summary>
    public bool IsOnline => State is UserState.Online or UserState.Grace;
}
