using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>The data-loss check runs on: a failure of any kind in one check is logged and the next tick checks again.</summary>
public sealed class RecoveryLoopTests : IAsyncLifetime
{
    private const int Shards = 2;
    private readonly string _keyPrefix = TestRedis.NewPrefix("recovery");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturingLoggerProvider _logs = new();
    private IConnectionMultiplexer _redis = null!;
    private FaultInjectingDatabase _faults = null!;
    private RedisPresenceStore _store = null!;

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StandaloneAsync();
        _store = FaultInjectingMultiplexer.CreateStore(_redis, _keyPrefix, _time, Shards, out _faults, _logs.CreateLogger("test"));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix, Shards);
        _logs.Dispose();
    }

    [Fact]
    public async Task AFailedCheck_OfAnyKind_IsLogged_AndTheNextTickStillRestoresLostData()
    {
        Assert.Equal(PresenceChange.CameOnline, (await _store.AddConnectionAsync("alice", "a1")).Change);
        _faults.Failure = static () => new InvalidOperationException("Injected bug.");
        _faults.Fails = static _ => true;

        _time.Advance(TimeSpan.FromSeconds(5));
        await TestRedis.WaitUntilAsync(() => Task.FromResult(_logs.Has(2003)), "the failed check to be logged");

        _faults.Fails = static _ => false;
        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix, Shards);
        _time.Advance(TimeSpan.FromSeconds(5));
        await TestRedis.WaitUntilAsync(async () => await _store.IsOnlineAsync("alice") && _logs.Has(2001), "the lost connection to be put back");
    }
}
