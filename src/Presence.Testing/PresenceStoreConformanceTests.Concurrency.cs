using Xunit;

namespace Presence.Testing;

// Many writers at once: transitions still alternate per user, and the final state matches a model.
public abstract partial class PresenceStoreConformanceTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(20_240_611, false)]
    [InlineData(777_777, false)]
    [InlineData(5, true)]
    [InlineData(31_337, true)]
    public async Task ConcurrentConnectsDisconnectsPingsAndSweeps_KeepTransitionsAlternating(int seed, bool withGrace)
    {
        // A grace period of a fraction of the scenario's time step, so some reconnects land inside it and some after.
        Options.OfflineGracePeriod = withGrace ? Options.ConnectionTtl / 6 : TimeSpan.Zero;
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
            Grace = Options.OfflineGracePeriod,
            NewUserId = NewUserId,
            NewConnectionId = NewConnectionId,
            AdvanceTime = AdvanceAsync,
        };

        var model = await scenario.RunAsync(store);

        await AssertCountsDeltaAsync(store, before, model.OnlineUsers, model.Connections);
    }
}
