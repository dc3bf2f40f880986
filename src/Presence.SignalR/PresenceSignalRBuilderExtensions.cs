using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Presence;
using Presence.SignalR;
using Presence.SignalR.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Attaches presence to SignalR hubs.</summary>
public static class PresenceSignalRBuilderExtensions
{
    /// <summary>
    /// Attaches presence to the ready-made <see cref="PresenceHub"/> (map it with
    /// <c>app.MapPresenceHub("/hubs/presence")</c>). Adds presence itself (<c>AddPresence()</c>) if it
    /// was not added yet.
    /// </summary>
    /// <param name="builder">The SignalR builder returned by <c>AddSignalR()</c>.</param>
    /// <param name="configure">Sets the transport options (after the <c>Presence:SignalR</c> configuration section).</param>
    /// <returns>The builder.</returns>
    public static ISignalRServerBuilder AddPresence(this ISignalRServerBuilder builder, Action<PresenceSignalROptions>? configure = null) =>
        builder.AddPresence<PresenceHub>(configure);

    /// <summary>
    /// Attaches presence to <typeparamref name="THub"/>, your own hub (no base class needed): its
    /// connections are tracked, each receives <c>presence:bulk-online</c> on connect, and presence
    /// events reach interested clients through <see cref="IHubContext{THub}"/>. Expose the heartbeat
    /// with <c>[HubMethodName(PresenceHubMethods.Ping)] public ValueTask&lt;PresenceResult&gt; Ping() =&gt; Context.PingPresenceAsync();</c>.
    /// Calling it again for the same hub is harmless; calling it for several hubs tracks each.
    /// </summary>
    /// <typeparam name="THub">The hub clients connect to for presence.</typeparam>
    /// <param name="builder">The SignalR builder returned by <c>AddSignalR()</c>.</param>
    /// <param name="configure">Sets the transport options (after the <c>Presence:SignalR</c> configuration section).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="THub"/> has no <c>presence:ping</c> hub method (the message names the line to add).</exception>
    /// <remarks>
    /// When the app starts, a mapped hub that has a <c>presence:ping</c> method but that presence is not
    /// attached to fails the start with an <see cref="InvalidOperationException"/> naming the hub.
    /// </remarks>
    public static ISignalRServerBuilder AddPresence<THub>(this ISignalRServerBuilder builder, Action<PresenceSignalROptions>? configure = null)
        where THub : Hub
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!PresenceHubShape.HasPing(typeof(THub)))
        {
            // Without it the app would start, and every user would expire while connected.
            throw new InvalidOperationException(PresenceHubShape.MissingPing(typeof(THub)));
        }

        var services = builder.Services;
        services.AddPresence();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, PresenceStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PresenceSignalROptions>, PresenceSignalRConfigurationBinder>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (!services.Any(static d => d.ServiceType == typeof(PresenceHubCommands)))
        {
            services.AddSingleton<PresenceHubCommands>();
            services.AddOptions<PresenceSignalROptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PresenceSignalROptions>, PresenceSignalROptionsValidator>());
        }

        services.TryAddSingleton<PresenceHubFilter>();
        services.TryAddSingleton<PresenceConnections>();
        if (!services.Any(static d => d.ServiceType == typeof(PresenceHubMarker<THub>)))
        {
            services.AddSingleton<PresenceHubMarker<THub>>();
            builder.AddHubOptions<THub>(static o => o.AddFilter<PresenceHubFilter>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPresenceEventHandler, PresenceHubEventHandler<THub>>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PresenceResync<THub>>());
        }

        return builder;
    }
}
