using Microsoft.AspNetCore.SignalR;
using Presence.SignalR;
using Presence.SignalR.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Lets any hub that presence is attached to expose the heartbeat in one line.</summary>
public static class PresenceHubCallerContextExtensions
{
    /// <summary>
    /// Handles <c>presence:ping</c> for the calling connection: extends its lease (re-registering it if
    /// it had expired). Expose it from your own hub with
    /// <c>[HubMethodName(PresenceHubMethods.Ping)] public ValueTask&lt;PresencePingResult&gt; Ping() =&gt; Context.PingPresenceAsync();</c>
    /// </summary>
    /// <param name="context">The hub's <c>Context</c>.</param>
    /// <returns><c>{ "success": true }</c>, or <c>{ "success": false }</c> for an ignored anonymous connection.</returns>
    /// <exception cref="HubException">Presence is not attached to this hub (<c>AddSignalR().AddPresence&lt;THub&gt;()</c> is missing).</exception>
    public static ValueTask<PresencePingResult> PingPresenceAsync(this HubCallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Items.TryGetValue(PresenceConnection.ItemKey, out var item) || item is not PresenceConnection connection)
        {
            throw new HubException(
                $"'{PresenceHubMethods.Ping}' failed: presence is not attached to this hub. Register it with services.AddSignalR().AddPresence<THub>().");
        }

        return connection.PingAsync(context.ConnectionId);
    }
}
