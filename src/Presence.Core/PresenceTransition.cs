namespace Presence;

/// <summary>
/// What a store operation did to a user's presence, decided atomically by the store: the change,
/// and for a real transition the user's new version and the store's decision time.
/// </summary>
/// <remarks>
/// Versions are per user and strictly increase with every change of that user's presence (online,
/// offline, status), across every node sharing the store, and survive the user going offline: the
/// user's next online has a larger version than their last offline. Clients keep the highest version
/// seen per user and drop anything older (see the wire protocol's ordering rule).
/// </remarks>
public readonly struct PresenceTransition : IEquatable<PresenceTransition>
{
    /// <summary>Creates a transition.</summary>
    /// <param name="change">What happened to the user's presence.</param>
    /// <param name="version">The user's version after the change; at least 1 when <paramref name="change"/> is not <see cref="PresenceChange.None"/>.</param>
    /// <param name="timestamp">When the store decided the change, from the store's clock.</param>
    /// <exception cref="ArgumentOutOfRangeException">A real change without a positive version.</exception>
    public PresenceTransition(PresenceChange change, long version, DateTimeOffset timestamp)
    {
        if (change != PresenceChange.None)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        }

        Change = change;
        Version = version;
        Timestamp = timestamp;
    }

    /// <summary>Nothing changed (<see cref="PresenceChange.None"/>, version 0).</summary>
    public static PresenceTransition None => default;

    /// <summary>What happened to the user's presence.</summary>
    public PresenceChange Change { get; }

    /// <summary>The user's version after the change; 0 when <see cref="Change"/> is <see cref="PresenceChange.None"/>.</summary>
    public long Version { get; }

    /// <summary>When the store decided the change (UTC, the store's clock); <see langword="default"/> when nothing changed.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Creates a <see cref="PresenceChange.CameOnline"/> transition.</summary>
    /// <param name="version">The user's new version.</param>
    /// <param name="timestamp">The store's decision time.</param>
    /// <returns>The transition.</returns>
    public static PresenceTransition CameOnline(long version, DateTimeOffset timestamp) => new(PresenceChange.CameOnline, version, timestamp);

    /// <summary>Creates a <see cref="PresenceChange.WentOffline"/> transition.</summary>
    /// <param name="version">The user's new version.</param>
    /// <param name="timestamp">The store's decision time.</param>
    /// <returns>The transition.</returns>
    public static PresenceTransition WentOffline(long version, DateTimeOffset timestamp) => new(PresenceChange.WentOffline, version, timestamp);

    /// <summary>Compares two transitions field by field.</summary>
    /// <param name="left">The first transition.</param>
    /// <param name="right">The second transition.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(PresenceTransition left, PresenceTransition right) => left.Equals(right);

    /// <summary>Compares two transitions field by field.</summary>
    /// <param name="left">The first transition.</param>
    /// <param name="right">The second transition.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(PresenceTransition left, PresenceTransition right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PresenceTransition other) => Change == other.Change && Version == other.Version && Timestamp.Equals(other.Timestamp);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PresenceTransition other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Change, Version, Timestamp);

    /// <inheritdoc />
    public override string ToString() => Change == PresenceChange.None ? nameof(PresenceChange.None) : $"{Change} v{Version} at {Timestamp:O}";
}
