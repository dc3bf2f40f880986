namespace Presence.Internal;

/// <summary>One online user in the in-memory store. All fields are guarded by <see cref="Gate"/>.</summary>
internal sealed class UserEntry(string userId)
{
    public readonly string UserId = userId;
    public readonly Lock Gate = new();
    public int ConnectionCount;

    /// <summary>Set once the last connection is gone and the entry left the user map; a writer that still holds it must start over.</summary>
    public bool Removed;
}
