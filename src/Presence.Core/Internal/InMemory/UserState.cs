namespace Presence.Internal;

/// <summary>Where a <see cref="UserEntry"/> is in its life; each state but the first and last is one list of its shard.</summary>
internal enum UserState
{
    /// <summary>Just created in the user map; no connection registered yet.</summary>
    New,

    /// <summary>At least one live connection (in <see cref="ExpiryShard.Online"/>).</summary>
    Online,

    /// <summary>No connection, but inside the offline grace period, so still online (in <see cref="ExpiryShard.Grace"/>).</summary>
    Grace,

    /// <summary>Offline, remembered for its last-seen time (in <see cref="ExpiryShard.Retention"/>).</summary>
    Offline,

    /// <summary>Gone from the user map; a writer that still holds the entry must look the user up again.</summary>
    Removed,
}
