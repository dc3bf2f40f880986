using System.Globalization;

namespace Presence.SignalR.Internal;

/// <summary>Formats timestamps for the wire exactly like JavaScript's <c>Date.prototype.toISOString()</c>.</summary>
internal static class PresenceTimestamp
{
    public static string Format(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
}
