namespace Presence.SignalR.Internal;

/// <summary>Builds the per-user maps of bulk-online and the subscribe reply from one presence read.</summary>
internal static class PresenceMaps
{
    /// <summary>
    /// The <c>presence:bulk-online</c> of a viewer, from the presence of the users it may see
    /// (<see cref="PresenceSnapshot"/>): the online ones listed, and a version for each offline one the store remembers.
    /// </summary>
    public static PresenceBulkOnlineMessage BulkOnline(IReadOnlyList<UserPresence> visible, long heartbeatIntervalMs) => new()
    {
        Users = OnlineIds(visible),
        Statuses = Statuses(visible),
        Versions = Versions(visible),
        HeartbeatIntervalMs = heartbeatIntervalMs,
    };

    /// <summary>The non-default statuses of the online users, or <see langword="null"/> when everyone is <c>available</c>.</summary>
    public static IReadOnlyDictionary<string, string>? Statuses(IReadOnlyList<UserPresence> users)
    {
        Dictionary<string, string>? statuses = null;
        foreach (var user in users)
        {
            if (user.IsOnline && user.Status is { } status && !string.Equals(status, PresenceStatus.Available, StringComparison.Ordinal))
            {
                (statuses ??= new(StringComparer.Ordinal))[user.UserId] = status;
            }
        }

        return statuses;
    }

    /// <summary>The last-seen times of the offline users the store remembers, or <see langword="null"/> when there is none.</summary>
    public static IReadOnlyDictionary<string, string>? LastSeen(IReadOnlyList<UserPresence> users)
    {
        Dictionary<string, string>? lastSeen = null;
        foreach (var user in users)
        {
            if (!user.IsOnline && user.LastSeen is { } seen)
            {
                (lastSeen ??= new(StringComparer.Ordinal))[user.UserId] = PresenceTimestamp.Format(seen);
            }
        }

        return lastSeen;
    }

    /// <summary>The version of every user the reply lists: each online user, and each offline one with a last-seen time.</summary>
    public static IReadOnlyDictionary<string, long> Versions(IReadOnlyList<UserPresence> users)
    {
        var versions = new Dictionary<string, long>(users.Count, StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (user.IsOnline || user.LastSeen is not null)
            {
                versions[user.UserId] = user.Version;
            }
        }

        return versions;
    }

    public static IReadOnlyList<string> OnlineIds(IReadOnlyList<UserPresence> users)
    {
        var online = new List<string>(users.Count);
        foreach (var user in users)
        {
            if (user.IsOnline)
            {
                online.Add(user.UserId);
            }
        }

        return online;
    }
}
