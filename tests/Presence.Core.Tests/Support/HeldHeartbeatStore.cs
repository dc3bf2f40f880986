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

    public void Release() => _release.TrySetResult();

    public override async ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return await Inner.RefreshConnectionAsync(userId, connectionId, cancellationToken);
    }
}
