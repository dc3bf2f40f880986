using Xunit;

namespace Presence.Conformance;

// Many writers at once: transitions still alternate per user, and the final state matches a model.
public abstract partial class PresenceStoreConformanceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(20_240_611)]
    [InlineData(777_777)]
    public async Task ConcurrentConnectsDisconnectsPingsAndSweeps_KeepTransitionsAlternating(int seed)
    {
        var store = await NewStoreAsync();
        var before = await store.GetCountsAsync();
        var threads = ConcurrencyThreadCount;
        var scenario = new PresenceConcurrencyScenario
        {
            Seed = seed,
            Threads = threads,
            OperationsPerThread = Math.Max(1, ConcurrencyOperationCount / threads),
            Users = 5,
            Ttl = Options.ConnectionTtl,
            NewUserId = NewUserId,
            NewConnectionId = NewConnectionId,
            AdvanceTime = AdvanceAsync,
        };

        var model = await scenario.RunAsync(store);

        await AssertCountsDeltaAsync(store, before, model.OnlineUsers, model.Connections);
    }
}
