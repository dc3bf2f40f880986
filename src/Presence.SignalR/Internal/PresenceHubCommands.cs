using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Presence.SignalR.Internal;

/// <summary>
/// The client-to-server half of the contract (ping, set-status, subscribe, unsubscribe) for every
/// hub presence is attached to. Bad input and floods get a <see cref="HubException"/> whose message
/// reaches the client; the connection stays open and nothing changes.
/// </summary>
internal sealed class PresenceHubCommands(
    IPresenceTracker tracker,
    ISubscriptionAuthorizer authorizer,
    IInterestResolver interestResolver,
    IOptions<PresenceSignalROptions> options,
    TimeProvider timeProvider,
    ILogger<PresenceHubCommands> logger)
{
    // Shared replies: their properties are init-only, so no caller can change them.
    private static readonly PresenceResult s_succeeded = new() { Success = true };
    private static readonly PresenceResult s_failed = new() { Success = false };

    private readonly PresenceSignalROptions _options = options.Value;

    public PresenceConnection Anonymous(string connectionId) => new(this, null, connectionId, null, null, null, null);

    public PresenceConnection Track(string userId, string connectionId, IGroupManager groups, Type hub) => new(
        this, userId, connectionId, groups, NewBucket(_options.PingRateLimit), NewBucket(_options.SubscribeRateLimit), NewBucket(_options.StatusRateLimit))
    {
        Hub = hub,
    };

    public ValueTask<PresenceResult> PingAsync(PresenceConnection connection)
    {
        if (connection.UserId is not { } userId)
        {
            return new(s_failed);
        }

        Admit(connection, connection.PingLimit, PresenceHubMethods.Ping);

        // The lease must be refreshed even when the caller's connection is aborted mid-ping.
#pragma warning disable CA2012 // Reading Result of a completed ValueTask once is the documented safe pattern.
        var pending = tracker.PingAsync(userId, connection.ConnectionId, CancellationToken.None);
        if (pending.IsCompletedSuccessfully)
        {
            _ = pending.Result;
            return new(s_succeeded);
        }
#pragma warning restore CA2012

        return AwaitPingAsync(pending);
    }

    public async ValueTask<PresenceResult> SetStatusAsync(PresenceConnection connection, PresenceSetStatusRequest? request)
    {
        if (connection.UserId is not { } userId)
        {
            return s_failed;
        }

        Admit(connection, connection.StatusLimit, PresenceHubMethods.SetStatus);
        var status = request?.Status;
        var problem = status is null
            ? """the status is missing: send one argument { "status": "away" }."""
            : PresenceStatus.Validate(status);
        if (problem is not null)
        {
            throw new HubException($"'{PresenceHubMethods.SetStatus}' refused: {problem} Nothing changed.");
        }

        // "Unchanged" is success: the status already is the one asked for. "Not online" is a failure:
        // the store holds no live connection of the user (the lease expired; ping, then retry).
        var transition = await tracker.SetStatusAsync(userId, status!, CancellationToken.None).ConfigureAwait(false);
        return transition.Change == StatusChange.NotOnline ? s_failed : s_succeeded;
    }

    public async ValueTask<PresenceSubscribeResult> SubscribeAsync(PresenceConnection connection, PresenceSubscriptionRequest? request)
    {
        var (userId, groups) = RequireTracked(connection, PresenceHubMethods.Subscribe);
        Admit(connection, connection.SubscribeLimit, PresenceHubMethods.Subscribe);
        var requested = ValidateUserIds(request, PresenceHubMethods.Subscribe);
        var authorized = requested.Count == 0
            ? []
            : await authorizer.AuthorizeAsync(userId, requested, CancellationToken.None).ConfigureAwait(false);

        // A user the viewer already sees is one whose audience already holds this connection (the resolver's
        // visibility and audience agree, as bulk-online relies on): joining the watch group too would deliver
        // each event twice, so only users outside the audience get a watch group.
        var heard = authorized.Count == 0
            ? PresenceVisibility.Nobody
            : await interestResolver.GetVisibleUsersAsync(userId, CancellationToken.None).ConfigureAwait(false);

        await connection.WatchGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var added = authorized.Where(id => !connection.Watched.Contains(id)).ToList();
            var total = connection.Watched.Count + added.Count;
            if (total > _options.MaxSubscriptionSize)
            {
                throw new HubException(
                    $"'{PresenceHubMethods.Subscribe}' refused: this connection would watch {total} users; at most {_options.MaxSubscriptionSize} are allowed "
                    + $"({nameof(PresenceSignalROptions)}.{nameof(PresenceSignalROptions.MaxSubscriptionSize)}). Unsubscribe from some first. Nothing changed.");
            }

            connection.Watched.UnionWith(added);

            // Every authorized id of the call is brought in line with the resolver's answer now, so
            // subscribing again after that answer changed fixes the connection's watch groups.
            var outside = new HashSet<string>(heard.IsEveryone ? [] : authorized, StringComparer.Ordinal);
            if (outside.Count > 0)
            {
                outside.ExceptWith(heard.UserIds);
            }

            // Recorded before joining, so an unsubscribe after a partial failure still leaves every group joined.
            var join = authorized.Where(id => outside.Contains(id) && connection.WatchGroups.Add(id)).ToList();
            var leave = authorized.Where(id => !outside.Contains(id) && connection.WatchGroups.Remove(id)).ToList();
            await Task.WhenAll(
                    join.Select(id => groups.AddToGroupAsync(connection.ConnectionId, PresenceGroups.Watch(id), CancellationToken.None))
                        .Concat(leave.Select(id => groups.RemoveFromGroupAsync(connection.ConnectionId, PresenceGroups.Watch(id), CancellationToken.None))))
                .ConfigureAwait(false);
            Log.Subscribed(logger, connection.ConnectionId, userId, authorized.Count, requested.Count);
        }
        finally
        {
            connection.WatchGate.Release();
        }

        if (authorized.Count == 0)
        {
            return new PresenceSubscribeResult();
        }

        // Read after joining: an event decided from here on reaches the connection through the group,
        // and one decided before is already reflected in this read.
        var presence = await tracker.GetPresenceAsync([.. authorized], CancellationToken.None).ConfigureAwait(false);
        return new PresenceSubscribeResult
        {
            Online = PresenceMaps.OnlineIds(presence),
            Statuses = PresenceMaps.Statuses(presence),
            LastSeen = PresenceMaps.LastSeen(presence),
            Versions = PresenceMaps.Versions(presence),
        };
    }

    public async ValueTask<PresenceResult> UnsubscribeAsync(PresenceConnection connection, PresenceSubscriptionRequest? request)
    {
        var (_, groups) = RequireTracked(connection, PresenceHubMethods.Unsubscribe);
        Admit(connection, connection.SubscribeLimit, PresenceHubMethods.Unsubscribe);
        var requested = ValidateUserIds(request, PresenceHubMethods.Unsubscribe);

        await connection.WatchGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var removed = requested.Where(id => connection.Watched.Remove(id) && connection.WatchGroups.Remove(id)).ToList();
            await Task.WhenAll(removed.Select(id => groups.RemoveFromGroupAsync(connection.ConnectionId, PresenceGroups.Watch(id), CancellationToken.None)))
                .ConfigureAwait(false);
        }
        finally
        {
            connection.WatchGate.Release();
        }

        return s_succeeded;
    }

    private static (string UserId, IGroupManager Groups) RequireTracked(PresenceConnection connection, string method) =>
        connection is { UserId: { } userId, Groups: { } groups }
            ? (userId, groups)
            : throw new HubException($"'{method}' refused: this connection has no authenticated user, so it cannot watch anyone.");

    private static async ValueTask<PresenceResult> AwaitPingAsync(ValueTask<PresenceTransition> pending)
    {
        await pending.ConfigureAwait(false);
        return s_succeeded;
    }

    private List<string> ValidateUserIds(PresenceSubscriptionRequest? request, string method)
    {
        if (request?.UserIds is not { } userIds)
        {
            throw new HubException($$"""'{{method}}' refused: the userIds are missing: send one argument { "userIds": ["alice", ...] }.""");
        }

        if (userIds.Count > _options.MaxSubscriptionSize)
        {
            throw new HubException(
                $"'{method}' refused: {userIds.Count} user ids were sent; at most {_options.MaxSubscriptionSize} are allowed per call "
                + $"({nameof(PresenceSignalROptions)}.{nameof(PresenceSignalROptions.MaxSubscriptionSize)}). Nothing changed.");
        }

        var distinct = new List<string>(userIds.Count);
        var seen = new HashSet<string>(userIds.Count, StringComparer.Ordinal);
        for (var i = 0; i < userIds.Count; i++)
        {
            if (PresenceId.Validate(userIds[i]) is { } problem)
            {
                throw new HubException($"'{method}' refused: userIds[{i}] is invalid. {problem} Nothing changed.");
            }

            if (seen.Add(userIds[i]))
            {
                distinct.Add(userIds[i]);
            }
        }

        return distinct;
    }

    private void Admit(PresenceConnection connection, TokenBucket? limit, string method)
    {
        if (limit is null || limit.TryTake())
        {
            return;
        }

        Log.RateLimitExceeded(logger, connection.ConnectionId, method);
        throw new HubException(
            $"'{method}' refused: rate limit exceeded (at most {limit.Capacity} calls per {limit.Window} per connection). Slow down; the connection stays open.");
    }

    private TokenBucket? NewBucket(int permits) => permits > 0 ? new TokenBucket(permits, _options.RateLimitWindow, timeProvider) : null;
}
