using System.Reflection;
using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>
/// An <see cref="IDatabase"/> that forwards everything to a real one, except script calls whose
/// keys match <see cref="Fails"/>: those fail with what <see cref="Failure"/> makes.
/// </summary>
public class FaultInjectingDatabase : DispatchProxy
{
    public IDatabase Inner { get; set; } = null!;

    public Func<RedisKey[], bool> Fails { get; set; } = static _ => false;

    public Func<Exception> Failure { get; set; } = static () => new RedisTimeoutException(CommandFlags.None, "Injected timeout.", CommandStatus.Sent);

    /// <summary>Names of other methods that fail with what <see cref="Failure"/> makes: a faulted task, as StackExchange.Redis reports a failed command.</summary>
    public ISet<string> FailingMethods { get; } = new HashSet<string>(StringComparer.Ordinal);

    public static IDatabase Wrap(IDatabase inner, out FaultInjectingDatabase control)
    {
        var proxy = Create<IDatabase, FaultInjectingDatabase>();
        control = (FaultInjectingDatabase)(object)proxy;
        control.Inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IDatabase.ScriptEvaluateAsync) && args is [string, RedisKey[] keys, ..] && Fails(keys))
        {
            return Task.FromException<RedisResult>(Failure());
        }

        if (FailingMethods.Contains(targetMethod.Name))
        {
            var failure = Failure();
            if (targetMethod.ReturnType.IsGenericType && targetMethod.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                    .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0])
                    .Invoke(null, [failure]);
            }

            throw failure;
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
