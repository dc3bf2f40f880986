using Microsoft.Extensions.Time.Testing;
using Presence.Testing;
using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>
/// Runs the store conformance suite against Redis. Each test gets its own key prefix (so count
/// deltas are exact), and the scripts' clock follows the suite's FakeTimeProvider through the
/// store's test-only clock override.
/// </summary>
public abstract class RedisConformanceTestsBase : PresenceStoreConformanceTests
{
    private readonly string _keyPrefix = TestRedis.NewPrefix("conformance");
    private IConnectionMultiplexer? _redis;

    /// <summary>Leases are kept in Redis milliseconds.</summary>
    protected override TimeSpan TimeResolution => TimeSpan.FromMilliseconds(1);

    /// <summary>Each Redis call is a round trip: fewer operations keep the test quick.</summary>
    protected override int ConcurrencyOperationCount => 2000;

    private protected abstract Task<IConnectionMultiplexer> ConnectAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix);
    }

    protected override async ValueTask<IPresenceStore> CreateStoreAsync(PresenceOptions options, FakeTimeProvider timeProvider)
    {
        _redis ??= await ConnectAsync();
        return TestRedis.CreateStore(_redis, _keyPrefix, timeProvider, clock: timeProvider, options);
    }
}
