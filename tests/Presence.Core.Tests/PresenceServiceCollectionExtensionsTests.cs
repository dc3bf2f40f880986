using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Presence.Core.Tests.Support;
using Presence.Internal;

namespace Presence.Core.Tests;

public sealed class PresenceServiceCollectionExtensionsTests
{
    [Fact]
    public void Defaults_AreTheInMemoryStore_TheSystemClock_AndNoInterest()
    {
        using var provider = Build(s => s.AddPresence());

        Assert.IsType<InMemoryPresenceStore>(provider.GetRequiredService<IPresenceStore>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.IsType<NoInterestResolver>(provider.GetRequiredService<IInterestResolver>());
        Assert.IsType<PresenceTracker>(provider.GetRequiredService<IPresenceTracker>());
        Assert.IsType<PresenceSweeper>(Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Empty(provider.GetServices<IPresenceEventHandler>());
        Assert.Same(provider.GetRequiredService<IPresenceTracker>(), provider.GetRequiredService<IPresenceTracker>());
    }

    [Fact]
    public void AddPresenceTwice_IsHarmless_AndAppliesBothDelegates()
    {
        var services = new ServiceCollection();
        var first = services.AddPresence(o => o.SweepBatchSize = 5);
        var second = services.AddPresence(o => o.ConnectionTtl = TimeSpan.FromSeconds(90));

        Assert.Same(services, first.Services);
        Assert.Same(services, second.Services);
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PresenceSweeper));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<PresenceOptions>));
        Assert.Single(services, d => d.ImplementationType == typeof(PresenceConfigurationBinder));
        Assert.Single(services, d => d.ServiceType == typeof(IPresenceStore));
        Assert.Single(services, d => d.ServiceType == typeof(IPresenceTracker));
        Assert.Single(services, d => d.ServiceType == typeof(IInterestResolver));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));

        using var provider = services.AddLogging().BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<PresenceOptions>>().Value;
        Assert.Equal((5, TimeSpan.FromSeconds(90)), (options.SweepBatchSize, options.ConnectionTtl));
    }

    [Fact]
    public async Task AddPresenceTwice_StillStartsOneSweeper_AndValidatesOnStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddPresence();
        builder.Services.AddPresence(o => o.SweepBatchSize = 0);
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Single(exception.Failures);
    }

    [Fact]
    public void ATimeProviderRegisteredBeforeAddPresence_IsKept()
    {
        var fake = new FakeTimeProvider();
        using var provider = Build(s =>
        {
            s.AddSingleton<TimeProvider>(fake);
            s.AddPresence();
        });

        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddStore_ReplacesTheDefault_AndSurvivesALaterAddPresence()
    {
        using var provider = Build(s =>
        {
            s.AddPresence().AddStore<FlakySweepStore>();
            s.AddPresence();
        });

        Assert.IsType<FlakySweepStore>(provider.GetRequiredService<IPresenceStore>());
        Assert.Single(provider.GetServices<IPresenceStore>());
    }

    [Fact]
    public void AddInterestResolverOfT_ReplacesTheDefault()
    {
        using var provider = Build(s => s.AddPresence().AddInterestResolver<EveryoneInterestResolver>());

        Assert.IsType<EveryoneInterestResolver>(Assert.Single(provider.GetServices<IInterestResolver>()));
    }

    [Fact]
    public void TheLastResolverAdded_Wins()
    {
        using var everyone = Build(s => s.AddPresence()
            .AddInterestResolver((_, _, _) => ValueTask.FromResult<IEnumerable<string>>([]))
            .AddEveryoneSeesEveryone());
        using var related = Build(s => s.AddPresence()
            .AddEveryoneSeesEveryone()
            .AddInterestResolver((_, _, _) => ValueTask.FromResult<IEnumerable<string>>([])));

        Assert.IsType<EveryoneInterestResolver>(Assert.Single(everyone.GetServices<IInterestResolver>()));
        Assert.IsType<DelegateInterestResolver>(Assert.Single(related.GetServices<IInterestResolver>()));
    }

    [Fact]
    public async Task TheDelegateResolvers_ReceiveTheServiceProvider_AndTheirAnswers()
    {
        IServiceProvider? seen = null;
        using var provider = Build(s => s.AddPresence().AddInterestResolver(
            (sp, user, _) =>
            {
                seen = sp;
                return ValueTask.FromResult(PresenceAudience.ForUsers([user + "-friend"]));
            },
            (_, viewer, _) => ValueTask.FromResult(PresenceVisibility.ForUsers([viewer + "-friend"]))));
        var resolver = provider.GetRequiredService<IInterestResolver>();

        var audience = await resolver.GetAudienceAsync("alice");
        var visibility = await resolver.GetVisibleUsersAsync("bob");

        Assert.NotNull(seen);
        Assert.Same(resolver, seen.GetRequiredService<IInterestResolver>());
        Assert.Equal(["alice-friend"], audience.UserIds);
        Assert.Equal(["bob-friend"], visibility.UserIds);
    }

    [Fact]
    public async Task TheRelationshipResolver_IsSymmetric()
    {
        using var provider = Build(s => s.AddPresence().AddInterestResolver(
            (_, user, _) => ValueTask.FromResult<IEnumerable<string>>(user == "alice" ? ["bob", "carol"] : [])));
        var resolver = provider.GetRequiredService<IInterestResolver>();

        Assert.Equal(["bob", "carol"], (await resolver.GetAudienceAsync("alice")).UserIds);
        Assert.Equal(["bob", "carol"], (await resolver.GetVisibleUsersAsync("alice")).UserIds);
        Assert.True((await resolver.GetAudienceAsync("dave")).IsEmpty);
    }

    [Fact]
    public void AddEventHandlerOfT_AddsEachTypeOnce_AndDelegatesEachTime()
    {
        using var provider = Build(s => s.AddPresence()
            .AddEventHandler<RecordingEventHandler>()
            .AddEventHandler<RecordingEventHandler>()
            .AddEventHandler((_, _, _) => ValueTask.CompletedTask)
            .AddEventHandler((_, _, _) => ValueTask.CompletedTask));

        var handlers = provider.GetServices<IPresenceEventHandler>().ToList();

        Assert.Equal([typeof(RecordingEventHandler), typeof(DelegateEventHandler), typeof(DelegateEventHandler)], handlers.Select(h => h.GetType()));
    }

    [Fact]
    public void BuilderConfigure_SetsOptions_AfterConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Presence:SweepBatchSize"] = "3" }).Build();
        using var provider = Build(s =>
        {
            s.AddSingleton<IConfiguration>(configuration);
            s.AddPresence().Configure(o => o.SweepBatchSize = 9);
        });

        Assert.Equal(9, provider.GetRequiredService<IOptions<PresenceOptions>>().Value.SweepBatchSize);
    }

    [Fact]
    public void NullArguments_AreRejected()
    {
        var builder = new ServiceCollection().AddPresence();

        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddPresence()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((IPresenceBuilder)null!).AddStore<FlakySweepStore>()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((IPresenceBuilder)null!).AddEveryoneSeesEveryone()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((IPresenceBuilder)null!).AddInterestResolver<EveryoneInterestResolver>()).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((IPresenceBuilder)null!).AddEventHandler<RecordingEventHandler>()).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => builder.Configure(null!)).ParamName);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => builder.AddEventHandler(null!)).ParamName);
        Assert.Equal("relatedUsers", Assert.Throws<ArgumentNullException>(() => builder.AddInterestResolver(null!)).ParamName);
        Assert.Equal("audience", Assert.Throws<ArgumentNullException>(
            () => builder.AddInterestResolver(null!, (_, _, _) => ValueTask.FromResult(PresenceVisibility.Nobody))).ParamName);
        Assert.Equal("visibility", Assert.Throws<ArgumentNullException>(
            () => builder.AddInterestResolver((_, _, _) => ValueTask.FromResult(PresenceAudience.Nobody), null!)).ParamName);
    }

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection().AddLogging();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
