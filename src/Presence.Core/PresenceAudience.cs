using Presence.Internal;

namespace Presence;

/// <summary>
/// Who must hear about one user's presence changes: a list of user ids, a list of transport groups
/// (a team, a chat room: one send however many members), everyone, or nobody.
/// </summary>
public sealed class PresenceAudience
{
    private PresenceAudience(bool isEveryone, string[] userIds, string[] groups)
    {
        IsEveryone = isEveryone;
        UserIds = userIds;
        Groups = groups;
    }

    /// <summary>Every connected user hears. Only for apps that opted into "everyone sees everyone".</summary>
    public static PresenceAudience Everyone { get; } = new(true, [], []);

    /// <summary>Nobody hears.</summary>
    public static PresenceAudience Nobody { get; } = new(false, [], []);

    /// <summary>Whether every connected user hears.</summary>
    public bool IsEveryone { get; }

    /// <summary>The users who hear, each on all of their connections.</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>The transport groups whose members hear (for SignalR: hub group names).</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>Whether nobody hears.</summary>
    public bool IsEmpty => !IsEveryone && UserIds.Count == 0 && Groups.Count == 0;

    /// <summary>An audience of the given users. Duplicates and invalid ids are dropped.</summary>
    /// <param name="userIds">The users who hear.</param>
    /// <returns>The audience.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="userIds"/> is <see langword="null"/>.</exception>
    public static PresenceAudience ForUsers(IEnumerable<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        return For(userIds, null);
    }

    /// <summary>An audience of the given transport groups. Duplicates and invalid names are dropped.</summary>
    /// <param name="groups">The groups whose members hear.</param>
    /// <returns>The audience.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="groups"/> is <see langword="null"/>.</exception>
    public static PresenceAudience ForGroups(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return For(null, groups);
    }

    /// <summary>An audience of users and groups together.</summary>
    /// <param name="userIds">The users who hear, or <see langword="null"/>.</param>
    /// <param name="groups">The groups whose members hear, or <see langword="null"/>.</param>
    /// <returns>The audience; <see cref="Nobody"/> when both are empty.</returns>
    public static PresenceAudience For(IEnumerable<string>? userIds, IEnumerable<string>? groups)
    {
        var users = ValidIds.Distinct(userIds);
        var groupNames = ValidIds.Distinct(groups);
        return users.Length == 0 && groupNames.Length == 0 ? Nobody : new PresenceAudience(false, users, groupNames);
    }
}
