namespace Presence.Internal;

/// <summary>
/// A binary min-heap of connections by <see cref="ExpiryNode.Deadline"/>, for leases the sweep found
/// extended by heartbeats. Their new ends are not "now + TTL" of one moment, so they cannot be
/// appended to a sorted list; the heap keeps them in order for O(log n) per re-queue, paid by the
/// sweep, and each entry remembers its index so a disconnect removes it in O(log n) too.
/// </summary>
/// <remarks>A mutable struct kept as a field of <see cref="ExpiryShard"/>, like <see cref="ExpiryList"/>. Callers hold the shard's gate.</remarks>
internal struct ExpiryHeap
{
    private ConnectionEntry[]? _items;
    private int _count;

    /// <summary>The entry with the earliest deadline, or <see langword="null"/> when empty.</summary>
    public readonly ConnectionEntry? Min => _count == 0 ? null : _items![0];

    /// <summary>Adds an entry with the given deadline.</summary>
    public void Push(ConnectionEntry entry, long deadline)
    {
        if (_items is null || _count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _count * 2));
        }

        entry.Deadline = deadline;
        SiftUp(entry, _count++);
    }

    /// <summary>Removes an entry that is in the heap.</summary>
    public void Remove(ConnectionEntry entry)
    {
        var index = entry.HeapIndex;
        entry.HeapIndex = -1;
        var items = _items!;
        var last = items[--_count];
        items[_count] = null!;
        if (index == _count)
        {
            return;
        }

        // The last entry fills the hole; it may belong above or below it.
        if (index > 0 && last.Deadline < items[(index - 1) / 2].Deadline)
        {
            SiftUp(last, index);
        }
        else
        {
            SiftDown(last, index);
        }
    }

    private readonly void SiftUp(ConnectionEntry entry, int index)
    {
        while (index > 0)
        {
            var parentIndex = (index - 1) / 2;
            var parent = _items![parentIndex];
            if (parent.Deadline <= entry.Deadline)
            {
                break;
            }

            Place(parent, index);
            index = parentIndex;
        }

        Place(entry, index);
    }

    private readonly void SiftDown(ConnectionEntry entry, int index)
    {
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= _count)
            {
                break;
            }

            var items = _items!;
            if (child + 1 < _count && items[child + 1].Deadline < items[child].Deadline)
            {
                child++;
            }

            if (entry.Deadline <= items[child].Deadline)
            {
                break;
            }

            Place(items[child], index);
            index = child;
        }

        Place(entry, index);
    }

    private readonly void Place(ConnectionEntry entry, int index)
    {
        _items![index] = entry;
        entry.HeapIndex = index;
    }
}
