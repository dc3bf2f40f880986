using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Internal;

/// <summary>
/// Sends presence events to the interested clients of <typeparamref name="THub"/>: one send per
/// audience kind (users, groups, or everyone), never one per user. <see cref="IHubContext{THub}"/>
/// reaches the audience on every node when a backplane is configured.
/// </summary>
/// <typeparam name="THub">The hub whose clients hear the events.</typeparam>
internal sealed class PresenceHubEventHandler<THub>(IHubContext<THub> hubContext, IInterestResolver interestResolver) : IPresenceEventHandler
    where THub : Hub
{
    public async ValueTask HandleAsync(PresenceEvent presenceEvent, CancellationToken cancellationToken)
    {
        var timestamp = PresenceTimestamp.Format(presenceEvent.Timestamp);
        (string Method, object Payload) message;
        switch (presenceEvent)
        {
            case UserOnline online:
                message = (PresenceHubMethods.Online, new PresenceOnlineMessage(online.UserId, timestamp));
                break;
            case UserOffline offline:
                message = (PresenceHubMethods.Offline, new PresenceOfflineMessage(offline.UserId, timestamp, FormatReason(offline.Reason)));
                break;
            default:
                return;
        }

        var audience = await interestResolver.GetAudienceAsync(presenceEvent.UserId, cancellationToken).ConfigureAwait(false);
        var clients = hubContext.Clients;
        if (audience.IsEveryone)
        {
            await clients.All.SendAsync(message.Method, message.Payload, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (audience.UserIds.Count > 0)
        {
            await clients.Users(audience.UserIds).SendAsync(message.Method, message.Payload, cancellationToken).ConfigureAwait(false);
        }

        if (audience.Groups.Count > 0)
        {
            await clients.Groups(audience.Groups).SendAsync(message.Method, message.Payload, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string FormatReason(OfflineReason reason) => reason switch
    {
        OfflineReason.Expired => "expired",
        _ => "disconnected",
    };
}
