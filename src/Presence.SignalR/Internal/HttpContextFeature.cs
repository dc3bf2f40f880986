using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Presence.SignalR.Internal;

/// <summary>Hands a request's <see cref="HttpContext"/> to an <c>IUserIdProvider</c>, as SignalR's own connections do.</summary>
internal sealed class HttpContextFeature(HttpContext httpContext) : Microsoft.AspNetCore.Http.Connections.Features.IHttpContextFeature
{
    public HttpContext? HttpContext { get; set; } = httpContext;
}
