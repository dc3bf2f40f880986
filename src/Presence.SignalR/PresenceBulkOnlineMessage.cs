using System.Text.Json.Serialization;
using Presence.SignalR.Internal;

namespace Presence.SignalR;

/// <summary>
/// The payload of <see cref="PresenceHubMethods.BulkOnline"/>:
/// <c>{ "users": ["alice", "bob"], "statuses": { "alice": "away" } }</c>.
/// </summary>
/// <param name="Users">The online users the connection's user may see, each once.</param>
/// <param name="Statuses">
/// The status of each listed user whose status is not <c>available</c>; omitted from the JSON when
/// every listed user is available, so the message stays <c>{ "users": [...] }</c> for clients that
/// predate statuses.
/// </param>
public sealed record PresenceBulkOnlineMessage(
    [property: JsonPropertyName("users")] IReadOnlyList<string> Users,
    [property: JsonPropertyName("statuses"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(VerbatimKeyMapConverter))]
    IReadOnlyDictionary<string, string>? Statuses = null);
