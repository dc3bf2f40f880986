using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Presence.SignalR.Internal;

/// <summary>
/// Fails the host's start when a mapped hub expects presence (it has a <c>presence:ping</c> method)
/// but presence was attached to other hubs only: without the check, the app starts and the first
/// ping fails a heartbeat interval later. Runs once the app's pipeline and endpoints are built, before
/// the server accepts requests.
/// </summary>
internal sealed class PresenceStartupCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        Check(app.ApplicationServices);
    };

    private static void Check(IServiceProvider services)
    {
        if (services.GetService<EndpointDataSource>() is not { } endpoints)
        {
            return;
        }

        var seen = new HashSet<Type>();
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<HubMetadata>() is not { HubType: var hubType } || !seen.Add(hubType))
            {
                continue;
            }

            if (PresenceHubShape.HasPing(hubType) && services.GetService(typeof(PresenceHubMarker<>).MakeGenericType(hubType)) is null)
            {
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
                throw new InvalidOperationException(PresenceHubShape.NotAttached(hubType, route, $"it has a '{PresenceHubMethods.Ping}' method"));
            }
        }
    }
}
