using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>For hosts under test: the user id is the <c>user</c> query parameter (absent = anonymous), so any id can be tried.</summary>
internal sealed class QueryStringUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.GetHttpContext()?.Request.Query.TryGetValue("user", out var user) == true ? user.ToString() : null;
}
