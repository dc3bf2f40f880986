using System.Globalization;
using System.Text.Json;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>One server-to-client presence message, as raw JSON so the tests check the wire shape.</summary>
internal sealed record ReceivedMessage(string Method, JsonElement Payload)
{
    public string? UserId => Payload.TryGetProperty("userId", out var value) ? value.GetString() : null;

    public string? Status => Payload.TryGetProperty("status", out var value) ? value.GetString() : null;

    public string? Reason => Payload.TryGetProperty("reason", out var value) ? value.GetString() : null;

    public DateTimeOffset Timestamp => DateTimeOffset.ParseExact(
        Payload.GetProperty("timestamp").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>The <c>version</c> of an online, offline or status message.</summary>
    public long Version => Payload.GetProperty("version").GetInt64();

    /// <summary>The <c>versions</c> map of bulk-online.</summary>
    public IReadOnlyDictionary<string, long> Versions => Payload.GetProperty("versions").EnumerateObject()
        .ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);

    public IReadOnlyList<string> Users => [.. Payload.GetProperty("users").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>The optional <c>statuses</c> map of bulk-online (empty when omitted).</summary>
    public IReadOnlyDictionary<string, string> Statuses => Payload.TryGetProperty("statuses", out var map)
        ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
        : new Dictionary<string, string>();

    public IReadOnlyList<string> PropertyNames => [.. Payload.EnumerateObject().Select(p => p.Name)];

    public override string ToString() => $"{Method} {Payload.GetRawText()}";
}
