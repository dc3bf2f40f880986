namespace Presence;

/// <summary>The store's answer to a status change: whether it changed, and if so the user's new version and the store's decision time.</summary>
public readonly struct StatusTransition : IEquatable<StatusTransition>
{
    /// <summary>Creates the answer.</summary>
    /// <param name="change">What happened.</param>
    /// <param name="version">The user's version after the change; at least 1 when <paramref name="change"/> is <see cref="StatusChange.Changed"/>, else 0.</param>
    /// <param name="timestamp">When the store decided the change, from the store's clock.</param>
    /// <exception cref="ArgumentOutOfRangeException">A change without a positive version.</exception>
    public StatusTransition(StatusChange change, long version, DateTimeOffset timestamp)
    {
        if (change == StatusChange.Changed)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        }

        Change = change;
        Version = version;
        Timestamp = timestamp;
    }

    /// <summary>The status was already set (<see cref="StatusChange.Unchanged"/>).</summary>
    public static StatusTransition Unchanged => new(StatusChange.Unchanged, 0, default);

    /// <summary>The user is not online (<see cref="StatusChange.NotOnline"/>).</summary>
    public static StatusTransition NotOnline => new(StatusChange.NotOnline, 0, default);

    /// <summary>What happened.</summary>
    public StatusChange Change { get; }

    /// <summary>The user's version after the change; 0 unless <see cref="Change"/> is <see cref="StatusChange.Changed"/>.</summary>
    public long Version { get; }

    /// <summary>When the store decided the change (UTC, the store's clock); <see langword="default"/> unless it changed.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Creates a <see cref="StatusChange.Changed"/> answer.</summary>
    /// <param name="version">The user's new version.</param>
    /// <param name="timestamp">The store's decision time.</param>
    /// <returns>The answer.</returns>
    public static StatusTransition Changed(long version, DateTimeOffset timestamp) => new(StatusChange.Changed, version, timestamp);

    /// <summary>Compares two answers field by field.</summary>
    /// <param name="left">The first answer.</param>
    /// <param name="right">The second answer.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(StatusTransition left, StatusTransition right) => left.Equals(right);

    /// <summary>Compares two answers field by field.</summary>
    /// <param name="left">The first answer.</param>
    /// <param name="right">The second answer.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(StatusTransition left, StatusTransition right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(StatusTransition other) => Change == other.Change && Version == other.Version && Timestamp.Equals(other.Timestamp);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StatusTransition other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Change, Version, Timestamp);

    /// <inheritdoc />
    public override string ToString() => Change == StatusChange.Changed ? $"Changed v{Version} at {Timestamp:O}" : Change.ToString();
}
