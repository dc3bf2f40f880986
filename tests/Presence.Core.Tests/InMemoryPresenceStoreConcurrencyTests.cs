using Microsoft.Extensions.Time.Testing;
using Presence.Testing;
using Presence.Internal;

namespace Presence.Core.Tests;

public sealed class InMemoryPresenceStoreConcurrencyTests
{
    [Theory]
    [InlineData(42)]
    [InlineData(1_000_003)]
    public async Task ManyThreads_KeepTransitionsAlternating_AndCountersEqualTheModel(int seed)
    {
        var ttl = TimeSpan.FromSeconds(60);
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new InMemoryPresenceStore(Microsoft.Extensions.Options.Options.Create(new PresenceOptions { ConnectionTtl = ttl }), time);
        var scenario = new PresenceConcurrencyScenario
        {
            Seed = seed,
            Threads = 8,
            OperationsPerThread = 20_000,
            Users = 16,
            Rounds = 20,
            Ttl = ttl,
            NewUserId = name => "user-" + name,
            NewConnectionId = name => "conn-" + name,
            AdvanceTime = by =>
            {
                time.Advance(by);
                return Task.CompletedTask;
            },
        };

        var model = await scenario.RunAsync(store);

        Assert.Equal(model, await store.GetCountsAsync());
        var all = await store.GetAllOnlineAsync();
        Assert.Equal(model.OnlineUsers, all.Count);
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }
}
