namespace Presence.Internal;

/// <summary>Registered once by the first <c>AddPresence()</c> call, so the one-time parts are not added twice.</summary>
internal sealed class PresenceMarker;
