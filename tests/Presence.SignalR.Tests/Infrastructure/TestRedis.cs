namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>
/// The Redis the backplane tests use: PRESENCE_TEST_REDIS when scripts/test.sh set it, otherwise a
/// redis-server this process starts on a free 127.0.0.1 port without persistence and kills on exit.
/// </summary>
internal static class TestRedis
{
    private static readonly Lazy<Task<string>> s_endpoint = new(StartAsync);

    public static Task<string> EndpointAsync() => s_endpoint.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("PRESENCE_TEST_REDIS") is { Length: > 0 } configured)
        {
            return configured;
        }

        var redis = await PrivateRedis.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => redis.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return redis.EndPoint;
    }
}
