namespace Presence;

/// <summary>
/// What a store operation did to the <em>user's</em> presence, decided atomically by the store.
/// </summary>
public enum PresenceChange
{
    /// <summary>The user's presence did not change (another connection was already alive, or still is).</summary>
    None = 0,

    /// <summary>The user had no live connection and now has one: the user just came online.</summary>
    CameOnline = 1,

    /// <summary>The user's last live connection is gone: the user just went offline.</summary>
    WentOffline = 2,
}
