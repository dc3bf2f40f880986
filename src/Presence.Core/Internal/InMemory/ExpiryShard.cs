namespace Presence.Internal;

/// <summary>
/// One slice of the in-memory store, chosen by a hash of the user id: the user entries and every
/// connection of those users, with one lock for all of it. A user's whole state changes under a
/// single lock, so a transition takes one lock section, and counts kept here need no atomics.
/// </summary>
internal sealed class ExpiryShard
{
    public readonly Lock Gate = new();

    /// <summary>
    /// Live connections by the lease deadline they connected with (now + TTL). A heartbeat does not
    /// move its entry (it only raises <see cref="ConnectionEntry.LeaseEnd"/>), so a deadline here may
    /// be stale: the sweep then moves the entry to <see cref="Refreshed"/>.
    /// </summary>
    public ExpiryList Connections;

    /// <summary>Live connections the sweep found extended by heartbeats, by the lease end it saw then.</summary>
    public ExpiryHeap Refreshed;

    /// <summary>Users whose last connection closed and whose grace period runs, by its end (now + grace).</summary>
    public ExpiryList Grace;

    /// <summary>Offline users remembered for their last-seen time, by when it is forgotten (offline time + retention).</summary>
    public ExpiryList Retention;

    /// <summary>Users with a live connection (not those in their grace period: they are in <see cref="Grace"/>); unordered.</summary>
    public OnlineUsers Online;

    /// <summary>Live connections in <see cref="Connections"/>.</summary>
    public int ConnectionCount;

    /// <summary>Users in <see cref="Retention"/>.</summary>
    public int RememberedCount;
}
