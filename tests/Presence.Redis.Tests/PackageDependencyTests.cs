using Presence.Redis.Internal;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>Presence.Redis is a store package: a worker service can use it without ASP.NET Core.</summary>
public sealed class PackageDependencyTests
{
    [Fact]
    public void PresenceRedis_ReferencesNoAspNetCoreAssembly()
    {
        var references = typeof(RedisPresenceStoreOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("StackExchange.Redis", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.Contains("SignalR", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(RedisPresenceStore).Assembly.GetTypes(), type => type.Name.Contains("ScaleOut", StringComparison.Ordinal));
    }
}
