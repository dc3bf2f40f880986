namespace Presence;

/// <summary>What <see cref="IPresenceStore.SetStatusAsync"/> did.</summary>
public enum StatusChange
{
    /// <summary>The user is online and the status is now the new one.</summary>
    Changed = 0,

    /// <summary>The user is online and already had that status: nothing changed, nobody is told.</summary>
    Unchanged = 1,

    /// <summary>The user has no live connection (offline, or inside the offline grace period): a status cannot be set.</summary>
    NotOnline = 2,
}
