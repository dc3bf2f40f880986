using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

public sealed class CachingInterestResolverTests
{
    [Fact]
    public async Task AnswersAreReusedForTheDuration_ThenAskedAgain()
    {
        var calls = 0;
        await using var context = new PresenceTestContext(configure: b => b
            .AddInterestResolver((_, userId, _) =>
            {
                Interlocked.Increment(ref calls);
                return ValueTask.FromResult<IEnumerable<string>>([userId + "-friend"]);
            })
            .CacheInterestResolver(TimeSpan.FromMinutes(1)));
        var resolver = context.Services.GetRequiredService<IInterestResolver>();

        var first = await resolver.GetAudienceAsync("alice");
        var second = await resolver.GetAudienceAsync("alice");
        Assert.Equal(["alice-friend"], second.UserIds);
        Assert.Same(first, second);
        Assert.Equal(1, calls);

        await resolver.GetVisibleUsersAsync("alice");
        Assert.Equal(2, calls); // audience and visibility are cached separately

        context.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await resolver.GetAudienceAsync("alice");
        Assert.Equal(3, calls);
    }

    [Fact]
    public void CachingWithoutAResolverRegisteredFirst_FailsWithTheFix()
    {
        var services = new ServiceCollection();
        var builder = services.AddPresence();
        services.RemoveAll<IInterestResolver>();

        var error = Assert.Throws<InvalidOperationException>(() => builder.CacheInterestResolver(TimeSpan.FromSeconds(5)));
        Assert.Contains("AddInterestResolver", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ANonPositiveDuration_IsRefused(int seconds)
    {
        var builder = new ServiceCollection().AddPresence().AddEveryoneSeesEveryone();
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.CacheInterestResolver(TimeSpan.FromSeconds(seconds)));
    }
}
