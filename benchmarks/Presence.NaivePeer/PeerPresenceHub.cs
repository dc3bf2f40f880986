using System.Globalization;
using Microsoft.AspNetCore.SignalR;

namespace Presence.NaivePeer;

/// <summary>
/// The course's PresenceHub with the demo's wire names: on connect, join the team's group, track the
/// connection, tell the team when the user came online and send the caller the team's online list.
/// </summary>
internal sealed class PeerPresenceHub(RedisPresenceTracker tracker) : Hub
{
    private string UserId => Context.UserIdentifier ?? throw new HubException("Sign in first.");

    private string Team => Context.User?.FindFirst(PeerTokens.TeamClaim)?.Value ?? throw new HubException("The token names no team.");

    public override async Task OnConnectedAsync()
    {
        var group = "team:" + Team;
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        if (await tracker.ConnectAsync(UserId, Team, Context.ConnectionId))
        {
            await Clients.Group(group).SendAsync("presence:online", new { userId = UserId, timestamp = Now() });
        }

        await Clients.Caller.SendAsync("presence:bulk-online", new { users = await tracker.GetOnlineAsync(Team) });
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (await tracker.DisconnectAsync(UserId, Team, Context.ConnectionId))
        {
            await Clients.Group("team:" + Team).SendAsync("presence:offline", new { userId = UserId, timestamp = Now(), reason = "disconnected" });
        }
    }

    /// <summary><c>presence:ping</c>: <c>{ "success": true }</c> when the connection is known.</summary>
    /// <returns>The result.</returns>
    [HubMethodName("presence:ping")]
    public async Task<object> Ping() => new { success = await tracker.HeartbeatAsync(UserId, Context.ConnectionId) };

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
