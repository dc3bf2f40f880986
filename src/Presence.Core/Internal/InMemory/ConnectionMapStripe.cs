using System.Runtime.InteropServices;

namespace Presence.Internal;

/// <summary>
/// One stripe of <see cref="ConnectionMap"/>: a chained hash table whose chains run through the
/// entries themselves (<see cref="ConnectionEntry.NextInMap"/>), so an insert allocates nothing.
/// Writers hold the stripe's lock; readers take none.
/// </summary>
/// <remarks>
/// 128 bytes, so the fields every insert and remove writes (the count, the version) never share a
/// cache line with a neighbouring stripe's: two cores working on different connections then do not
/// steal lines from each other, as they do with <c>ConcurrentDictionary</c>'s packed per-lock counts.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct ConnectionMapStripe
{
    [FieldOffset(0)]
    private readonly Lock _gate;

    [FieldOffset(8)]
    private ConnectionEntry?[] _buckets;

    [FieldOffset(16)]
    private int _count;

    /// <summary>Odd while a resize relinks the entries; a reader that missed during one looks again.</summary>
    [FieldOffset(20)]
    private int _version;

    public ConnectionMapStripe()
    {
        _gate = new Lock();
        _buckets = new ConnectionEntry?[16];
    }

    /// <summary>The entry with this id, if any; lock-free.</summary>
    public ConnectionEntry? Find(string connectionId, int hash)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var version = Volatile.Read(ref _version);
            var buckets = Volatile.Read(ref _buckets);
            for (var entry = Volatile.Read(ref buckets[Index(hash, buckets.Length)]); entry is not null; entry = Volatile.Read(ref entry.NextInMap))
            {
                if (entry.MapHash == hash && string.Equals(entry.ConnectionId, connectionId, StringComparison.Ordinal))
                {
                    return entry;
                }
            }

            // The chain reads must be done before the version is read again.
            Interlocked.MemoryBarrier();
            if ((version & 1) == 0 && Volatile.Read(ref _version) == version)
            {
                return null;
            }

            spinner.SpinOnce(); // a resize moved entries between chains under our feet
        }
    }

    /// <summary>Inserts <paramref name="entry"/> unless its id is present.</summary>
    /// <returns>The entry already present, or <see langword="null"/> when <paramref name="entry"/> was inserted.</returns>
    public ConnectionEntry? AddOrGetExisting(ConnectionEntry entry)
    {
        lock (_gate)
        {
            var buckets = _buckets;
            var index = Index(entry.MapHash, buckets.Length);
            for (var existing = buckets[index]; existing is not null; existing = existing.NextInMap)
            {
                if (existing.MapHash == entry.MapHash && string.Equals(existing.ConnectionId, entry.ConnectionId, StringComparison.Ordinal))
                {
                    return existing;
                }
            }

            if (_count >= buckets.Length)
            {
                buckets = Grow();
                index = Index(entry.MapHash, buckets.Length);
            }

            entry.NextInMap = buckets[index];
            Volatile.Write(ref buckets[index], entry); // publishes the entry's fields with it
            _count++;
            return null;
        }
    }

    /// <summary>Removes this very entry, if it is in the stripe.</summary>
    public void Remove(ConnectionEntry entry)
    {
        lock (_gate)
        {
            var buckets = _buckets;
            ref var link = ref buckets[Index(entry.MapHash, buckets.Length)];
            while (link is not null && !ReferenceEquals(link, entry))
            {
                link = ref link.NextInMap;
            }

            if (link is null)
            {
                return;
            }

            // The entry keeps its own link, so a reader standing on it still reaches the rest of the chain.
            Volatile.Write(ref link, entry.NextInMap);
            _count--;
        }
    }

    private static int Index(int hash, int length) => (int)((uint)hash >> 6) & (length - 1);

    /// <summary>Doubles the buckets. Caller holds the gate.</summary>
    private ConnectionEntry?[] Grow()
    {
        var old = _buckets;
        var grown = new ConnectionEntry?[old.Length * 2];

        // Odd from here on: relinking may send a reader down the wrong chain, so a reader that
        // missed while this ran looks again. Interlocked orders it before the relinking writes.
        Interlocked.Increment(ref _version);
        foreach (var head in old)
        {
            for (var entry = head; entry is not null;)
            {
                var next = entry.NextInMap;
                var index = Index(entry.MapHash, grown.Length);
                entry.NextInMap = grown[index];
                grown[index] = entry;
                entry = next;
            }
        }

        Volatile.Write(ref _buckets, grown);
        Interlocked.Increment(ref _version);
        return grown;
    }
}
