using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Internal;

/// <summary>
/// Sends presence events to the interested clients of <typeparamref name="THub"/> and to the
/// connections that subscribed to the user: one send per audience kind (users, groups, or everyone),
/// never one per user. <see cref="IHubContext{THub}"/> reaches them on every node when a backplane
/// is configured.
/// </summary>
/// <typeparam name="THub">The hub whose clients hear the events.</typeparam>
internal sealed class PresenceHubEventHandler<THub>(IHubContext<THub> hubContext, IInterestResolver interestResolver) : IPresenceEventHandler
    where THub : Hub
{
    public async ValueTask HandleAsync(PresenceEvent presenceEvent, CancellationToken cancellationToken)
    {
        // The event's time and version are the store's decision; this node's clock plays no part.
        var timestamp = PresenceTimestamp.Format(presenceEvent.Timestamp);
        (string Method, object Payload) message;
        switch (presenceEvent)
        {
            case UserOnline online:
                message = (PresenceHubMethods.Online, new PresenceOnlineMessage { UserId = online.UserId, Timestamp = timestamp, Version = online.Version });
                break;
            case UserOffline offline:
                message = (PresenceHubMethods.Offline, new PresenceOfflineMessage
                {
                    UserId = offline.UserId,
                    Timestamp = timestamp,
                    Reason = FormatReason(offline.Reason),
                    Version = offline.Version,
                });
                break;
            case UserStatusChanged changed:
                message = (PresenceHubMethods.Status, new PresenceStatusMessage
                {
                    UserId = changed.UserId,
                    Status = changed.Status,
                    Timestamp = timestamp,
                    Version = changed.Version,
                });
                break;
            default:
                return;
        }

        var audience = await interestResolver.GetAudienceAsync(presenceEvent.UserId, cancellationToken).ConfigureAwait(false);
        var clients = hubContext.Clients;
        if (audience.IsEveryone)
        {
            // Subscribers are connected clients too: they hear this once, not twice.
            await clients.All.SendAsync(message.Method, message.Payload, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (audience.UserIds.Count > 0)
        {
            await clients.Users(UserIdList.For(audience.UserIds)).SendAsync(message.Method, message.Payload, cancellationToken).ConfigureAwait(false);
        }

        // The watch group rides along with the audience's groups in the same send.
        var watchGroup = PresenceWatchGroups.For(presenceEvent.UserId);
        var groups = audience.Groups.Count == 0 ? clients.Group(watchGroup) : clients.Groups([.. audience.Groups, watchGroup]);
        await groups.SendAsync(message.Method, message.Payload, cancellationToken).ConfigureAwait(false);
    }

    private static string FormatReason(OfflineReason reason) => reason switch
    {
        OfflineReason.Expired => "expired",
        _ => "disconnected",
    };
}
