namespace Presence.Internal;

/// <summary>
/// A doubly linked list of connections ordered by lease deadline. Every lease is "now + TTL" with
/// the time read under the lock, so appending at the tail keeps the list sorted: a heartbeat is an
/// O(1) move to the tail, and a sweep only looks at the head. Sharding spreads the lock.
/// </summary>
internal sealed class ExpiryShard
{
    public readonly Lock Gate = new();
    private ConnectionEntry? _head;
    private ConnectionEntry? _tail;

    /// <summary>The entry with the earliest deadline. Caller holds <see cref="Gate"/>.</summary>
    public ConnectionEntry? Head => _head;

    /// <summary>Links a new entry at the tail with the given deadline. Caller holds <see cref="Gate"/>.</summary>
    public void Append(ConnectionEntry entry, long deadline)
    {
        // A clock that steps back must not break the order the sweep relies on.
        entry.Deadline = _tail is { } tail && tail.Deadline > deadline ? tail.Deadline : deadline;
        entry.Previous = _tail;
        entry.Next = null;
        if (_tail is null)
        {
            _head = entry;
        }
        else
        {
            _tail.Next = entry;
        }

        _tail = entry;
        entry.Linked = true;
    }

    /// <summary>Unlinks an entry. Caller holds <see cref="Gate"/>.</summary>
    public void Unlink(ConnectionEntry entry)
    {
        if (entry.Previous is null)
        {
            _head = entry.Next;
        }
        else
        {
            entry.Previous.Next = entry.Next;
        }

        if (entry.Next is null)
        {
            _tail = entry.Previous;
        }
        else
        {
            entry.Next.Previous = entry.Previous;
        }

        entry.Previous = null;
        entry.Next = null;
        entry.Linked = false;
    }

    /// <summary>Moves a linked entry to the tail with a new deadline. Caller holds <see cref="Gate"/>.</summary>
    public void MoveToTail(ConnectionEntry entry, long deadline)
    {
        if (!ReferenceEquals(entry, _tail))
        {
            Unlink(entry);
            Append(entry, deadline);
        }
        else if (deadline > entry.Deadline)
        {
            entry.Deadline = deadline;
        }
    }
}
