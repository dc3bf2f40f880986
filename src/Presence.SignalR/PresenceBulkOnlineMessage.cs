using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The payload of <see cref="PresenceHubMethods.BulkOnline"/>: <c>{ "users": ["...", ...] }</c>.</summary>
/// <param name="Users">The online users the connection's user may see, each once.</param>
public sealed record PresenceBulkOnlineMessage(
    [property: JsonPropertyName("users")] IReadOnlyList<string> Users);
