using System.Globalization;
using Presence.Internal;

namespace Presence.Core.Tests;

public sealed class ConnectionMapTests
{
    private static readonly ExpiryShard Shard = new();

    [Fact]
    public void AddFindRemove_BehaveLikeAMap_ThroughManyResizes()
    {
        var map = new ConnectionMap();
        var entries = Enumerable.Range(0, 20_000).Select(i => NewEntry("c" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        foreach (var entry in entries)
        {
            Assert.Null(map.AddOrGetExisting(entry));
        }

        foreach (var entry in entries)
        {
            Assert.Same(entry, map.Find(entry.ConnectionId));
            Assert.Same(entry, map.AddOrGetExisting(NewEntry(entry.ConnectionId)));
        }

        foreach (var entry in entries.Where((_, i) => i % 2 == 0))
        {
            map.Remove(entry);
            map.Remove(entry); // removing twice is harmless
        }

        for (var i = 0; i < entries.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? null : entries[i], map.Find(entries[i].ConnectionId));
        }

        // Only this very entry is removed, not a newer one with the same id.
        var stale = entries[1];
        map.Remove(stale);
        var fresh = NewEntry(stale.ConnectionId);
        Assert.Null(map.AddOrGetExisting(fresh));
        map.Remove(stale);
        Assert.Same(fresh, map.Find(stale.ConnectionId));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(77)]
    public void Lookups_NeverMissAPresentEntry_WhileOtherInsertsResizeAndRemovesRelink(int seed)
    {
        var map = new ConnectionMap();
        var resident = Enumerable.Range(0, 64).Select(i => NewEntry("resident-" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        foreach (var entry in resident)
        {
            map.AddOrGetExisting(entry);
        }

        var misses = 0;
        var writerDone = 0;
        var writer = new Thread(() =>
        {
            var random = new Random(seed);
            var added = new List<ConnectionEntry>();
            for (var i = 0; i < 60_000; i++)
            {
                var entry = NewEntry("churn-" + i.ToString(CultureInfo.InvariantCulture));
                map.AddOrGetExisting(entry);
                added.Add(entry);
                if (random.Next(3) == 0)
                {
                    var victim = random.Next(added.Count);
                    map.Remove(added[victim]);
                    added[victim] = added[^1];
                    added.RemoveAt(added.Count - 1);
                }
            }

            Volatile.Write(ref writerDone, 1);
        });
        var reader = new Thread(() =>
        {
            do
            {
                foreach (var entry in resident)
                {
                    if (!ReferenceEquals(map.Find(entry.ConnectionId), entry))
                    {
                        Interlocked.Increment(ref misses);
                    }
                }
            }
            while (Volatile.Read(ref writerDone) == 0);
        });
        reader.Start();
        writer.Start();
        writer.Join();
        reader.Join();

        Assert.Equal(0, misses);
    }

    private static ConnectionEntry NewEntry(string connectionId) => new(connectionId, new UserEntry("user", Shard), leaseEnd: 0);
}
