using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Presence;
using Presence.Testing;
using Xunit;

namespace MyCompany.Presence.Tests;

/// <summary>Every specification test of Presence.Testing, run against <see cref="CountingPresenceStore"/>.</summary>
public sealed class CountingPresenceStoreSpecificationTests : PresenceStoreConformanceTests
{
    private ServiceProvider? _backend;

    protected override ValueTask<IPresenceStore> CreateStoreAsync(PresenceOptions options, FakeTimeProvider timeProvider)
    {
        // The first call of a test builds the backend (the default store, on the suite's clock and
        // options); a second call is another node of the same backend: a new CountingPresenceStore over it.
        _backend ??= new ServiceCollection()
            .AddSingleton<TimeProvider>(timeProvider)
            .AddPresence(o =>
            {
                o.HeartbeatInterval = options.HeartbeatInterval;
                o.ConnectionTtl = options.ConnectionTtl;
                o.SweepInterval = options.SweepInterval;
                o.SweepBatchSize = options.SweepBatchSize;
                o.OfflineGracePeriod = options.OfflineGracePeriod;
                o.LastSeenRetention = options.LastSeenRetention;
            })
            .Services.BuildServiceProvider();

        return ValueTask.FromResult<IPresenceStore>(new CountingPresenceStore(_backend.GetRequiredService<IPresenceStore>()));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheSuite_CallsTheCustomStore()
    {
        var store = Assert.IsType<CountingPresenceStore>(await NewStoreAsync());

        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(NewUserId("ann"), NewConnectionId("tab"))).Change);
        Assert.True(await store.IsOnlineAsync(NewUserId("ann")));
        Assert.Equal(2, store.Calls);
    }
}
