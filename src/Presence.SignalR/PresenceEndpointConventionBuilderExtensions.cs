using Presence.SignalR;
using Presence.SignalR.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Refuses anonymous clients at a hub endpoint, before the SignalR handshake.</summary>
public static class PresenceEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Refuses every request of the endpoint whose user has no user identifier (the app's
    /// <c>IUserIdProvider</c> returns <see langword="null"/>) with HTTP 401, at negotiate and at connect,
    /// so the client's <c>start()</c> fails instead of connecting and then being closed. Use it on your
    /// own hub: <c>app.MapHub&lt;ChatHub&gt;("/hubs/chat").RequirePresenceUser();</c>.
    /// <c>MapPresenceHub</c> applies it unless <see cref="PresenceSignalROptions.IgnoreAnonymousConnections"/> is set.
    /// When the app has an authentication scheme, the refusal is its challenge (for JWT bearer, a 401 with
    /// <c>WWW-Authenticate: Bearer</c>); a refusal is logged at Debug only.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder, for example <c>HubEndpointConventionBuilder</c>.</typeparam>
    /// <param name="builder">The hub's endpoint convention builder.</param>
    /// <returns>The builder.</returns>
    public static TBuilder RequirePresenceUser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(PresenceUserRequirement.Apply);
        return builder;
    }
}
