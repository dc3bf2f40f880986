using Presence.Internal;

namespace Presence;

/// <summary>
/// Whom one viewer may see: the candidates for the list of online users sent when the viewer
/// connects (<c>presence:bulk-online</c>). Only the online ones among them are sent.
/// </summary>
public sealed class PresenceVisibility
{
    private PresenceVisibility(bool isEveryone, string[] userIds)
    {
        IsEveryone = isEveryone;
        UserIds = userIds;
    }

    /// <summary>The viewer may see every online user. Only for apps that opted into "everyone sees everyone".</summary>
    public static PresenceVisibility Everyone { get; } = new(true, []);

    /// <summary>The viewer may see nobody.</summary>
    public static PresenceVisibility Nobody { get; } = new(false, []);

    /// <summary>Whether the viewer may see every online user.</summary>
    public bool IsEveryone { get; }

    /// <summary>The users the viewer may see (when <see cref="IsEveryone"/> is <see langword="false"/>).</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>The viewer may see these users. Duplicates and invalid ids are dropped.</summary>
    /// <param name="userIds">The users the viewer may see.</param>
    /// <returns>The visibility.</returns>
    public static PresenceVisibility ForUsers(IEnumerable<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var ids = ValidIds.Distinct(userIds);
        return ids.Length == 0 ? Nobody : new PresenceVisibility(false, ids);
    }
}
