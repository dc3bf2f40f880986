using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>An <see cref="IConnectionMultiplexer"/> whose <c>GetDatabase</c> returns a given database; the rest goes to a real one.</summary>
public class FaultInjectingMultiplexer : DispatchProxy
{
    public IConnectionMultiplexer Inner { get; set; } = null!;

    public IDatabase Database { get; set; } = null!;

    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner, IDatabase database)
    {
        var proxy = Create<IConnectionMultiplexer, FaultInjectingMultiplexer>();
        var control = (FaultInjectingMultiplexer)(object)proxy;
        control.Inner = inner;
        control.Database = database;
        return proxy;
    }

    /// <summary>A store on <paramref name="redis"/> whose script calls (and named methods) fail on demand through the returned control.</summary>
    internal static RedisPresenceStore CreateStore(
        IConnectionMultiplexer redis, string keyPrefix, FakeTimeProvider time, int shards, out FaultInjectingDatabase faults, ILogger? logger = null, TimeSpan grace = default)
    {
        var faulty = Wrap(redis, FaultInjectingDatabase.Wrap(redis.GetDatabase(), out faults));
        var options = new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(10), OfflineGracePeriod = grace };
        return TestRedis.CreateStore(faulty, keyPrefix, time, time, options, logger, shards);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IConnectionMultiplexer.GetDatabase))
        {
            return Database;
        }

        try
        {
            return targetMethod.Invoke(Inner, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }
}
