using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Presence;
using Presence.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers presence tracking in a service collection.</summary>
public static class PresenceServiceCollectionExtensions
{
    /// <summary>
    /// Adds presence tracking: the tracker, the event bus, the background expiry sweeper, and the
    /// defaults (in-memory store, <see cref="TimeProvider.System"/>, a private-by-default interest
    /// resolver) that later calls on the returned builder replace. Calling it twice is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">
    /// Sets options in code. Runs after the <c>Presence</c> configuration section is bound, so it wins over configuration.
    /// </param>
    /// <returns>The builder, to add a store, an interest resolver, event handlers and a transport.</returns>
    public static IPresenceBuilder AddPresence(this IServiceCollection services, Action<PresenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PresenceOptions>, PresenceConfigurationBinder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PresenceOptions>, PresenceOptionsValidator>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (!services.Any(static d => d.ServiceType == typeof(PresenceMarker)))
        {
            services.AddSingleton<PresenceMarker>();
            services.AddOptions<PresenceOptions>().ValidateOnStart();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.TryAddSingleton<IInterestResolver, NoInterestResolver>();
        services.TryAddSingleton<ISubscriptionAuthorizer, VisibilitySubscriptionAuthorizer>();
        services.TryAddSingleton<PresenceEventBus>();
        services.TryAddSingleton<LocalConnectionRegistry>();
        services.TryAddSingleton<PresenceMetrics>();
        services.TryAddSingleton<SweepState>();
        services.TryAddSingleton<StoreAvailability>();
        services.TryAddSingleton<IPresenceTracker, PresenceTracker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PresenceSweeper>());

        return new PresenceBuilder(services);
    }
}
