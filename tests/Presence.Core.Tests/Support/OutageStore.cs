using Microsoft.Extensions.Options;

namespace Presence.Core.Tests.Support;

/// <summary>An in-memory store that a test takes down and brings back: while down, every write and sweep throws <see cref="PresenceStoreUnavailableException"/>, as the Redis store does.</summary>
internal sealed class OutageStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : DelegatingPresenceStore(options, timeProvider)
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public override ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Down ? ValueTask.FromException<PresenceTransition>(Unavailable()) : base.AddConnectionAsync(userId, connectionId, cancellationToken);

    public override ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Down ? ValueTask.FromException<PresenceTransition>(Unavailable()) : base.RefreshConnectionAsync(userId, connectionId, cancellationToken);

    public override ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Down ? ValueTask.FromException<SweepResult>(Unavailable()) : base.SweepExpiredAsync(maxConnections, cancellationToken);

    private static PresenceStoreUnavailableException Unavailable() =>
        new("The presence store could not be reached.", new IOException("Connection refused (127.0.0.1:6379)"));
}
