using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Presence.SignalR.Internal;

/// <summary>
/// Fails the host's start when a mapped hub expects presence (it has a <c>presence:ping</c> method)
/// but presence was attached to other hubs only: without the check, the app starts and the first
/// ping fails a heartbeat interval later. Also warns, once per hub, about an own hub whose endpoint
/// lacks <c>RequirePresenceUser()</c>. Runs once the app's pipeline and endpoints are built, before
/// the server accepts requests.
/// </summary>
internal sealed class PresenceStartupCheck(IOptions<PresenceSignalROptions> options, ILogger<PresenceStartupCheck> logger) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        Check(app.ApplicationServices);
    };

    private void Check(IServiceProvider services)
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

            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
            var attached = services.GetService(typeof(PresenceHubMarker<>).MakeGenericType(hubType)) is not null;
            if (!attached && PresenceHubShape.HasPing(hubType))
            {
                throw new InvalidOperationException(PresenceHubShape.NotAttached(hubType, route, $"it has a '{PresenceHubMethods.Ping}' method"));
            }

            if (attached && !options.Value.IgnoreAnonymousConnections && endpoint.Metadata.GetMetadata<PresenceUserRequirementMetadata>() is null)
            {
                // Refused after connecting, an anonymous client makes SignalR log an error each time; at negotiate it is a quiet 401.
                Log.AnonymousRefusedAfterConnect(logger, hubType.Name, PresenceHubShape.HubRoute(route) ?? hubType.Name);
            }
        }
    }
}
