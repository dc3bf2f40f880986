using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Presence.SignalR.Internal;

/// <summary>
/// Refuses every request of a hub endpoint (negotiate, and the connection itself, so a client that
/// skips negotiation is refused too) whose user has no user id with HTTP 401, before SignalR sees it:
/// the client's <c>start()</c> fails the way it does under <c>RequireAuthorization()</c>. "No user id"
/// is the hub's own definition: the app's <see cref="IUserIdProvider"/> returns <see langword="null"/>.
/// </summary>
internal static class PresenceUserRequirement
{
    private static readonly HubConnectionContextOptions s_probeOptions = new();

    public static void Apply(EndpointBuilder endpoint)
    {
        var next = endpoint.RequestDelegate
            ?? throw new InvalidOperationException("RequirePresenceUser() applies to endpoints that have a request delegate, such as MapHub's.");
        if (endpoint.Metadata.OfType<HubMetadata>().FirstOrDefault() is { HubType: var hubType }
            && endpoint.ApplicationServices.GetService(typeof(PresenceHubMarker<>).MakeGenericType(hubType)) is null)
        {
            throw new InvalidOperationException(PresenceHubShape.NotAttached(hubType, (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText, "RequirePresenceUser() is applied to it"));
        }

        endpoint.Metadata.Add(PresenceUserRequirementMetadata.Instance);
        var logger = endpoint.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PresenceUserRequirement).FullName!);
        endpoint.RequestDelegate = async context =>
        {
            if (await HasUserIdAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }
            else
            {
                await RefuseAsync(context, logger).ConfigureAwait(false);
            }
        };
    }

    private static async ValueTask<bool> HasUserIdAsync(HttpContext context)
    {
        var userIds = context.RequestServices.GetRequiredService<IUserIdProvider>();

        // The provider reads a HubConnectionContext: give it one over this request, with the same user
        // and HttpContext the connection will have.
        var connection = new DefaultConnectionContext { User = context.User };
        await using (connection.ConfigureAwait(false))
        {
            connection.Features.Set<Microsoft.AspNetCore.Http.Connections.Features.IHttpContextFeature>(new HttpContextFeature(context));
            var probe = new HubConnectionContext(connection, s_probeOptions, NullLoggerFactory.Instance);
            return userIds.GetUserId(probe) is not null;
        }
    }

    private static async Task RefuseAsync(HttpContext context, ILogger logger)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var (kind, message, source) = UnidentifiedUser.Explain(context, context.User);
        switch (kind)
        {
            case UnidentifiedUser.Kind.NoToken:
                // A client without credentials is not a server fault: Debug, never Error.
                Log.AnonymousRequestRefused(logger, path);
                break;
            case UnidentifiedUser.Kind.TokenNotAuthenticated:
                // Often the app's set-up (no handler reads the token), sometimes the client's (an expired token).
                Log.TokenNotAuthenticated(logger, path, source!);
                break;
            default:
                Log.UserWithoutIdentifier(logger, path);
                break;
        }

        var schemes = context.RequestServices.GetService<IAuthenticationSchemeProvider>();
        if (schemes is not null && await schemes.GetDefaultChallengeSchemeAsync().ConfigureAwait(false) is not null)
        {
            // The app's scheme writes its own 401 (for JWT bearer: WWW-Authenticate: Bearer).
            await context.ChallengeAsync().ConfigureAwait(false);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }

        // The reason, for whoever reads the response (browser dev tools, curl).
        if (!context.Response.HasStarted)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
