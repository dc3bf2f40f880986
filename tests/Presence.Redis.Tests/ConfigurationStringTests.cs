using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>A Redis address StackExchange.Redis cannot use fails start-up, naming the value and the form it takes.</summary>
public sealed class ConfigurationStringTests
{
    [Theory]
    [InlineData("127.0.0.1:notaport", "('127.0.0.1:notaport')")]
    [InlineData("redis://cache.local:6380", "is a URL; StackExchange.Redis takes a configuration string such as 'cache.local:6380'")]
    [InlineData("rediss://user:secret@cache.local", "'cache.local:6379,ssl=true,password=...'")]
    [InlineData("password=x", "names no Redis endpoint")]
    public async Task ABadAddress_FailsStartUp_WithTheValueAndTheRightForm(string configuration, string expected)
    {
        using var host = Host.CreateDefaultBuilder()
            .ConfigureServices(services => services.AddPresence().AddRedisStore(configuration))
            .Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains("RedisPresenceStoreOptions.Configuration", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("a:1,b:2,c:3,abortConnect=false")]
    [InlineData("localhost")]
    [InlineData("[::1]:6379,password=x")]
    public void AGoodAddress_Passes(string configuration)
    {
        var result = new Internal.RedisPresenceStoreOptionsValidator().Validate(null, new RedisPresenceStoreOptions { Configuration = configuration });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
