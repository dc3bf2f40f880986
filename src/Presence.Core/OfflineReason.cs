namespace Presence;

/// <summary>Why a user went offline. On the wire: <c>"disconnected"</c> or <c>"expired"</c>.</summary>
public enum OfflineReason
{
    /// <summary>The user's last connection was closed (a disconnect was seen).</summary>
    Disconnected = 0,

    /// <summary>The user's last connection stopped sending heartbeats and its lease ran out.</summary>
    Expired = 1,
}
