using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The argument of <see cref="PresenceHubMethods.SetStatus"/>: <c>{ "status": "away" }</c>.</summary>
[DataContract]
public sealed class PresenceSetStatusRequest
{
    /// <summary>
    /// <c>available</c>, <c>away</c>, <c>busy</c> (see <see cref="PresenceStatus"/>) or a custom status of
    /// at most <see cref="PresenceStatus.MaxLength"/> characters without control characters.
    /// </summary>
    [JsonPropertyName("status")]
    [DataMember(Name = "status")]
    public string? Status { get; init; }
}
