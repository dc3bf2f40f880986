using System.Text.Json.Serialization;
using Presence.SignalR.Internal;

namespace Presence.SignalR;

/// <summary>
/// What <see cref="PresenceHubMethods.Subscribe"/> returns:
/// <c>{ "online": ["alice"], "statuses": { "alice": "away" }, "lastSeen": { "bob": "2025-01-31T12:00:00.000Z" } }</c>.
/// Only users the viewer was authorized to watch appear; the others were silently left out.
/// </summary>
/// <param name="Online">The watched users (of this call) who are online now.</param>
/// <param name="Statuses">
/// The status of each online watched user whose status is not <c>available</c>; omitted from the JSON when there is none.
/// </param>
/// <param name="LastSeen">
/// When each offline watched user was last seen (UTC ISO-8601), for those the store still remembers;
/// omitted from the JSON when there is none.
/// </param>
public sealed record PresenceSubscribeResult(
    [property: JsonPropertyName("online")] IReadOnlyList<string> Online,
    [property: JsonPropertyName("statuses"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(VerbatimKeyMapConverter))]
    IReadOnlyDictionary<string, string>? Statuses = null,
    [property: JsonPropertyName("lastSeen"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(VerbatimKeyMapConverter))]
    IReadOnlyDictionary<string, string>? LastSeen = null);
