using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// Turns the store's atomic answers into events. It never reads state to decide a transition:
/// the store's <see cref="PresenceChange"/> is the decision.
/// </summary>
internal sealed class PresenceTracker(
    IPresenceStore store,
    PresenceEventBus bus,
    IInterestResolver interestResolver,
    IOptions<PresenceOptions> options,
    LocalConnectionRegistry localConnections,
    PresenceMetrics metrics,
    StoreAvailability availability,
    ILogger<PresenceTracker> logger) : IPresenceTracker
{
    private readonly int _sweepBatchSize = options.Value.SweepBatchSize;

    public async ValueTask<PresenceTransition> ConnectAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        var change = await Run(store.AddConnectionAsync(userId, connectionId, cancellationToken), nameof(ConnectAsync)).ConfigureAwait(false);
        localConnections.Add(userId, connectionId);
        await PublishAsync(userId, change, OfflineReason.Disconnected, cancellationToken).ConfigureAwait(false);
        return change;
    }

    public async ValueTask<PresenceTransition> DisconnectAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);

        // The connection is gone from this node whatever the store says; its heartbeats still in
        // flight finish first, so none reaches the store after the removal and registers it again.
        var local = await localConnections.CloseAsync(userId, connectionId).ConfigureAwait(false);
        var change = await Run(store.RemoveConnectionAsync(userId, connectionId, cancellationToken), nameof(DisconnectAsync)).ConfigureAwait(false);
        if (local?.HeldOnline is { } held)
        {
            // A heartbeat re-registered the closing connection and nobody was told: its removal taking
            // the user offline again is no news either; if another connection keeps the user online, that is.
            if (change.Change == PresenceChange.None)
            {
                await PublishAsync(userId, held, OfflineReason.Disconnected, cancellationToken).ConfigureAwait(false);
            }

            return change;
        }

        await PublishAsync(userId, change, OfflineReason.Disconnected, cancellationToken).ConfigureAwait(false);
        return change;
    }

    public ValueTask<PresenceTransition> PingAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        metrics.Heartbeat();

        // The hot path: a synchronous store and no transition means no state machine at all.
        // A ValueTask may be consumed once (a pooled IValueTaskSource is recycled by it), so once
        // Result is read it is never awaited or handed out again.
        if (!localConnections.TryBeginPing(connectionId, out var local))
        {
            return new ValueTask<PresenceTransition>(PresenceTransition.None); // closed on this node: a late heartbeat
        }

        ValueTask<PresenceTransition> pending;
        try
        {
            pending = store.RefreshConnectionAsync(userId, connectionId, cancellationToken);
        }
        catch
        {
            local?.EndPing();
            throw;
        }

        if (pending.IsCompletedSuccessfully && !metrics.StoreDurationEnabled)
        {
            var change = pending.Result;
            if (change.Change == PresenceChange.None)
            {
                local?.EndPing();
                return new ValueTask<PresenceTransition>(change);
            }

            if (change.Change == PresenceChange.CameOnline && local is not null && !local.TryAnnounceOnline(change))
            {
                local.EndPing();
                return new ValueTask<PresenceTransition>(change);
            }

            return PublishCompletedAsync(userId, change, local, cancellationToken);
        }

        return PingSlowAsync(userId, pending, local, cancellationToken);
    }

    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var expired = 0;
        var removed = 0;
        SweepResult result;
        do
        {
            result = await Run(store.SweepExpiredAsync(_sweepBatchSize, cancellationToken), nameof(SweepAsync)).ConfigureAwait(false);
            removed += result.RemovedConnections;
            foreach (var user in result.Users)
            {
                expired++;
                Log.UserWentOffline(logger, user.UserId, user.Reason);
                await Publish(new UserOffline(user.UserId, user.Timestamp, user.Reason, user.Version), cancellationToken).ConfigureAwait(false);
            }
        }
        while (result.HasMore && !cancellationToken.IsCancellationRequested);

        metrics.SweepCompleted(started, removed);
        if (removed > 0)
        {
            Log.SweepCompleted(logger, removed, expired);
        }

        return expired;
    }

    /// <summary>
    /// Says goodbye for every connection still open on this node (a clean shutdown), so its users
    /// go offline now with reason <see cref="OfflineReason.Disconnected"/> instead of expiring later.
    /// </summary>
    public async ValueTask<int> DisconnectLocalConnectionsAsync(CancellationToken cancellationToken)
    {
        var wentOffline = 0;
        foreach (var (userId, connectionId) in localConnections.Snapshot())
        {
            var transition = await DisconnectAsync(userId, connectionId, cancellationToken).ConfigureAwait(false);
            if (transition.Change == PresenceChange.WentOffline)
            {
                wentOffline++;
            }
        }

        return wentOffline;
    }

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        return store.GetOnlineAsync(userIds, cancellationToken);
    }

    public async ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceStatus.ThrowIfInvalid(status);
        var result = await Run(store.SetStatusAsync(userId, status, cancellationToken), nameof(SetStatusAsync)).ConfigureAwait(false);
        if (result.Change == StatusChange.Changed)
        {
            await Publish(new UserStatusChanged(userId, result.Timestamp, status, result.Version), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        return store.GetPresenceAsync(userIds, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<UserPresence>> GetVisiblePresenceAsync(string viewerId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(viewerId);
        var visibility = await interestResolver.GetVisibleUsersAsync(viewerId, cancellationToken).ConfigureAwait(false);
        IReadOnlyCollection<string> candidates = visibility.IsEveryone
            ? await store.GetAllOnlineAsync(cancellationToken).ConfigureAwait(false)
            : visibility.UserIds;
        if (candidates.Count == 0)
        {
            return [];
        }

        // One round trip for a named audience: the presence read already says who is online.
        var presence = await store.GetPresenceAsync(candidates, cancellationToken).ConfigureAwait(false);
        return [.. presence.Where(static p => p.IsOnline)];
    }

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        store.GetCountsAsync(cancellationToken);

    private async ValueTask<PresenceTransition> PublishCompletedAsync(string userId, PresenceTransition change, LocalConnection? local, CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(userId, change, OfflineReason.Disconnected, cancellationToken).ConfigureAwait(false);
            return change;
        }
        finally
        {
            local?.EndPing();
        }
    }

    private async ValueTask<PresenceTransition> PingSlowAsync(string userId, ValueTask<PresenceTransition> pending, LocalConnection? local, CancellationToken cancellationToken)
    {
        // The heartbeat ends once its event is published, so a racing disconnect's offline comes after it.
        try
        {
            var change = await Run(pending, nameof(PingAsync)).ConfigureAwait(false);
            if (change.Change == PresenceChange.CameOnline && local is not null && !local.TryAnnounceOnline(change))
            {
                return change; // the connection is closing: its disconnect decides what to announce
            }

            await PublishAsync(userId, change, OfflineReason.Disconnected, cancellationToken).ConfigureAwait(false);
            return change;
        }
        finally
        {
            local?.EndPing();
        }
    }

    private async ValueTask<T> Run<T>(ValueTask<T> operation, string name)
    {
        var started = metrics.StoreDurationEnabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            var result = await operation.ConfigureAwait(false);
            if (started != 0)
            {
                metrics.StoreOperation(name, started);
            }

            availability.Succeeded();
            return result;
        }
        catch (PresenceStoreUnavailableException exception)
        {
            // An outage: one warning when it starts, not an error with a stack trace per call.
            metrics.StoreFailure(name);
            availability.Failed(name, exception);
            throw;
        }
        catch (Exception exception) when (exception is not ArgumentException and not OperationCanceledException)
        {
            metrics.StoreFailure(name);
            Log.StoreOperationFailed(logger, name, exception);
            throw;
        }
    }

    private ValueTask PublishAsync(string userId, PresenceTransition transition, OfflineReason reason, CancellationToken cancellationToken)
    {
        switch (transition.Change)
        {
            case PresenceChange.CameOnline:
                Log.UserCameOnline(logger, userId);
                return Publish(new UserOnline(userId, transition.Timestamp, transition.Version), cancellationToken);
            case PresenceChange.WentOffline:
                Log.UserWentOffline(logger, userId, reason);
                return Publish(new UserOffline(userId, transition.Timestamp, reason, transition.Version), cancellationToken);
            default:
                return ValueTask.CompletedTask;
        }
    }

    private ValueTask Publish(PresenceEvent presenceEvent, CancellationToken cancellationToken)
    {
        metrics.Transition(presenceEvent);
        return bus.PublishAsync(presenceEvent, cancellationToken);
    }
}
