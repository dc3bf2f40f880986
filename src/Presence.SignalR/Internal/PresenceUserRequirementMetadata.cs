namespace Presence.SignalR.Internal;

/// <summary>Marks an endpoint that refuses clients without a user id before SignalR sees them (<c>RequirePresenceUser()</c>).</summary>
internal sealed class PresenceUserRequirementMetadata
{
    public static readonly PresenceUserRequirementMetadata Instance = new();

    private PresenceUserRequirementMetadata()
    {
    }
}
