namespace Presence.Internal;

/// <summary>One online user in the in-memory store. Fields are written under <see cref="Gate"/>.</summary>
internal sealed class UserEntry(string userId)
{
    public readonly string UserId = userId;
    public readonly Lock Gate = new();
    public int ConnectionCount;

    /// <summary>The status the user set, or <see langword="null"/> (available).</summary>
    public string? Status;

    /// <summary>While the user is inside the offline grace period: the entry that ends it.</summary>
    public ConnectionEntry? Grace;

    /// <summary>Set once the user went offline and the entry left the user map; a writer that still holds it must start over.</summary>
    public bool Removed;

    /// <summary>Online: a live connection, or inside the grace period. Safe to read without the gate.</summary>
    public bool IsOnline => Volatile.Read(ref ConnectionCount) > 0 || Volatile.Read(ref Grace) is not null;
}
