using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Presence.SignalR.Internal;

/// <summary>
/// Why a request or connection has no user identifier, in words a developer can act on: no token was
/// sent; a token was sent but nothing authenticated it; or the user is authenticated but carries no
/// identifier for the <c>IUserIdProvider</c>.
/// </summary>
internal static class UnidentifiedUser
{
    public const string NoToken =
        "Presence requires an authenticated user: the connection has no user identifier and no access token arrived (no Authorization header, no access_token query parameter). Send an access token (the client's accessTokenFactory), or set PresenceSignalROptions.IgnoreAnonymousConnections.";

    public const string WithoutIdentifier =
        "Presence requires a user identifier: the user is authenticated but the IUserIdProvider found none (the default reads the ClaimTypes.NameIdentifier claim, which a JWT's 'sub' maps to). Issue tokens with that claim, or register your own IUserIdProvider.";

    /// <summary>What kind of problem it is, for the log level: a client's missing token is not the server's fault.</summary>
    public enum Kind
    {
        NoToken,
        TokenNotAuthenticated,
        AuthenticatedWithoutIdentifier,
    }

    public static (Kind Kind, string Message, string? TokenSource) Explain(HttpContext? context, ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated == true)
        {
            return (Kind.AuthenticatedWithoutIdentifier, WithoutIdentifier, null);
        }

        var source = TokenSource(context);
        return source is null ? (Kind.NoToken, NoToken, null) : (Kind.TokenNotAuthenticated, TokenNotAuthenticated(source), source);
    }

    public static string TokenNotAuthenticated(string source) =>
        $"Presence requires an authenticated user: an access token arrived (in the {source}) but the user is not authenticated. "
        + "Likely causes: no authentication handler reads it (AddAuthentication().AddJwtBearer(...) missing, or app.UseAuthentication() not called before the hub is mapped), "
        + "or the JWT bearer handler does not read the access_token query parameter that browsers send with WebSockets and server-sent events "
        + "(set JwtBearerEvents.OnMessageReceived to take context.Request.Query[\"access_token\"] on the hub's path). "
        + "An expired or invalid token is refused the same way: the authentication handler's log says which.";

    private static string? TokenSource(HttpContext? context)
    {
        if (context is null)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(context.Request.Headers.Authorization.ToString()))
        {
            return "Authorization header";
        }

        return string.IsNullOrEmpty(context.Request.Query["access_token"].ToString()) ? null : "access_token query parameter";
    }
}
