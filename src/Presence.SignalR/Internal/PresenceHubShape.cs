using System.Reflection;
using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Internal;

/// <summary>What a hub type exposes to clients, read the way SignalR reads it (public instance methods below <see cref="Hub"/>, named by <see cref="HubMethodNameAttribute"/> or their own name).</summary>
internal static class PresenceHubShape
{
    /// <summary>The one line that exposes the heartbeat on a hub.</summary>
    public const string PingLine = "[HubMethodName(PresenceHubMethods.Ping)] public ValueTask<PresenceResult> Ping() => Context.PingPresenceAsync();";

    public static bool HasPing(Type hubType)
    {
        for (var type = hubType; type is not null && type != typeof(Hub) && type != typeof(object); type = type.BaseType)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.IsSpecialName)
                {
                    continue;
                }

                var name = method.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? method.Name;
                if (string.Equals(name, PresenceHubMethods.Ping, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static string MissingPing(Type hubType) =>
        $"Presence cannot be attached to {hubType.Name}: it has no '{PresenceHubMethods.Ping}' hub method, so its clients' heartbeats fail with 'Method does not exist.' and every user expires while connected. "
        + $"Add this line to {hubType.Name}: {PingLine}";

    /// <summary>The hub's route, from either of its two endpoints (the hub's own or its negotiate endpoint).</summary>
    public static string? HubRoute(string? route)
    {
        const string Negotiate = "/negotiate";
        return route is not null && route.EndsWith(Negotiate, StringComparison.Ordinal) ? route[..^Negotiate.Length] : route;
    }

    public static string NotAttached(Type hubType, string? route, string why)
    {
        route = HubRoute(route);
        return $"{hubType.Name} is mapped{(route is null ? string.Empty : $" at '{route}'")} and expects presence ({why}), but presence is not attached to it: nobody connecting to it is tracked and its '{PresenceHubMethods.Ping}' calls fail. "
            + $"Call builder.Services.AddSignalR().AddPresence<{hubType.Name}>() when configuring services.";
    }
}
