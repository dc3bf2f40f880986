using Microsoft.Extensions.Options;

namespace Presence.Core.Tests.Support;

/// <summary>
/// An in-memory store whose heartbeats wait at a gate the test opens, the way a heartbeat queued in
/// the Redis store's batch reaches Redis a few milliseconds later.
/// </summary>
internal sealed class HeldHeartbeatStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : DelegatingPresenceStore(options, timeProvider)
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a heartbeat is waiting at the gate.</summary>
    public Task HeartbeatHeld => _entered.Task;

    private readonly TaskCompletionSource _releaseRemovals = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, removals wait for <see cref="ReleaseRemovals"/> too.</summary>
    public bool HoldRemovals { get; set; }

    public void Release() => _release.TrySetResult();

    public void ReleaseRemovals() => _releaseRemovals.TrySetResult();

    public override async ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        if (HoldRemovals)
        {
            await _releaseRemovals.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return await Inner.RemoveConnectionAsync(userId, connectionId, cancellationToken);
    }

    public override async ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return await Inner.RefreshConnectionAsync(userId, connectionId, cancellationToken);
    }
}
