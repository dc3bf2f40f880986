using Microsoft.Extensions.DependencyInjection.Extensions;
using Presence;
using Presence.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds stores, interest resolvers and event handlers to an <see cref="IPresenceBuilder"/>.</summary>
public static class PresenceBuilderExtensions
{
    /// <summary>Sets presence options in code (after configuration binding).</summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder Configure(this IPresenceBuilder builder, Action<PresenceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Replaces the store with <typeparamref name="TStore"/> (a singleton).</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The presence builder.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddStore<TStore>(this IPresenceBuilder builder)
        where TStore : class, IPresenceStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IPresenceStore, TStore>());
        return builder;
    }

    /// <summary>Uses <typeparamref name="TResolver"/> (a singleton) to decide who hears about whom.</summary>
    /// <typeparam name="TResolver">The resolver type.</typeparam>
    /// <param name="builder">The presence builder.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddInterestResolver<TResolver>(this IPresenceBuilder builder)
        where TResolver : class, IInterestResolver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IInterestResolver, TResolver>());
        return builder;
    }

    /// <summary>
    /// Uses a symmetric relationship (chat partners, friends, teammates): the users related to X hear
    /// about X, and X may see them.
    /// </summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="relatedUsers">Returns the users related to a user.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddInterestResolver(
        this IPresenceBuilder builder,
        Func<IServiceProvider, string, CancellationToken, ValueTask<IEnumerable<string>>> relatedUsers)
    {
        ArgumentNullException.ThrowIfNull(relatedUsers);
        return builder.AddInterestResolver(
            async (services, userId, ct) => PresenceAudience.ForUsers(await relatedUsers(services, userId, ct).ConfigureAwait(false)),
            async (services, viewerId, ct) => PresenceVisibility.ForUsers(await relatedUsers(services, viewerId, ct).ConfigureAwait(false)));
    }

    /// <summary>Uses two delegates: who hears about a user, and whom a viewer may see.</summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="audience">Returns who must hear about a user's changes.</param>
    /// <param name="visibility">Returns whom a viewer may see on connect.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddInterestResolver(
        this IPresenceBuilder builder,
        Func<IServiceProvider, string, CancellationToken, ValueTask<PresenceAudience>> audience,
        Func<IServiceProvider, string, CancellationToken, ValueTask<PresenceVisibility>> visibility)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(visibility);
        builder.Services.Replace(ServiceDescriptor.Singleton<IInterestResolver>(sp => new DelegateInterestResolver(sp, audience, visibility)));
        return builder;
    }

    /// <summary>
    /// Caches the interest resolver registered so far (call it after <c>AddInterestResolver</c>):
    /// each user's audience and visibility is asked once per <paramref name="duration"/>. Use it when
    /// the resolver reads a database; changes in relationships then show after at most that long.
    /// </summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="duration">How long an answer is reused; positive.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">No interest resolver was registered before.</exception>
    public static IPresenceBuilder CacheInterestResolver(this IPresenceBuilder builder, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var services = builder.Services;
        var inner = services.LastOrDefault(static d => d.ServiceType == typeof(IInterestResolver) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("CacheInterestResolver() caches the interest resolver registered before it: call AddInterestResolver(...) first.");
        services.Replace(ServiceDescriptor.Singleton<IInterestResolver>(sp =>
            new CachingInterestResolver(Create(sp, inner), duration, sp.GetRequiredService<TimeProvider>())));
        return builder;
    }

    /// <summary>
    /// Opts into "everyone sees everyone": every change reaches every connected user, and every
    /// user sees every online user. Fine for small apps; never the silent default.
    /// </summary>
    /// <param name="builder">The presence builder.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddEveryoneSeesEveryone(this IPresenceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IInterestResolver, EveryoneInterestResolver>());
        return builder;
    }

    /// <summary>
    /// Uses <typeparamref name="TAuthorizer"/> (a singleton) to decide whom a viewer may watch through
    /// explicit subscriptions. By default a viewer may watch the users the interest resolver lets them see.
    /// </summary>
    /// <typeparam name="TAuthorizer">The authorizer type.</typeparam>
    /// <param name="builder">The presence builder.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddSubscriptionAuthorizer<TAuthorizer>(this IPresenceBuilder builder)
        where TAuthorizer : class, ISubscriptionAuthorizer
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISubscriptionAuthorizer, TAuthorizer>());
        return builder;
    }

    /// <summary>Lets any viewer subscribe to any user's presence. Only for apps where presence is public.</summary>
    /// <param name="builder">The presence builder.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AllowAllSubscriptions(this IPresenceBuilder builder) =>
        builder.AddSubscriptionAuthorizer<AllowAllSubscriptionAuthorizer>();

    /// <summary>Subscribes <typeparamref name="THandler"/> (a singleton) to presence events, after the handlers added before it.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The presence builder.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddEventHandler<THandler>(this IPresenceBuilder builder)
        where THandler : class, IPresenceEventHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPresenceEventHandler, THandler>());
        return builder;
    }

    /// <summary>Subscribes a delegate to presence events (to store "last seen", audit, ...).</summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="handler">Handles one event.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddEventHandler(
        this IPresenceBuilder builder,
        Func<IServiceProvider, PresenceEvent, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton<IPresenceEventHandler>(sp => new DelegateEventHandler(sp, handler));
        return builder;
    }

    private static IInterestResolver Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IInterestResolver)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
