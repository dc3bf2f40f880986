using System.Reflection;
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
