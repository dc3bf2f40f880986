using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Presence.SignalR;
using Presence.SignalR.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the ready-made presence hub.</summary>
public static class PresenceEndpointRouteBuilderExtensions
{
    /// <summary>Maps <see cref="PresenceHub"/> at <paramref name="pattern"/> (for example <c>"/hubs/presence"</c>).</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="configure">Sets the connection options (transports, authorization data, ...).</param>
    /// <returns>The hub's endpoint convention builder, for <c>.RequireAuthorization()</c> and the like.</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddSignalR().AddPresence()</c> was not called.</exception>
    public static HubEndpointConventionBuilder MapPresenceHub(
        this IEndpointRouteBuilder endpoints,
        [System.Diagnostics.CodeAnalysis.StringSyntax("Route")] string pattern,
        Action<HttpConnectionDispatcherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (endpoints.ServiceProvider.GetService(typeof(PresenceHubMarker<PresenceHub>)) is null)
        {
            throw new InvalidOperationException(
                "MapPresenceHub needs presence attached to SignalR: call services.AddSignalR().AddPresence() when configuring services.");
        }

        return configure is null ? endpoints.MapHub<PresenceHub>(pattern) : endpoints.MapHub<PresenceHub>(pattern, configure);
    }
}
