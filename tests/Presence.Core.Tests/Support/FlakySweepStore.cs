using Microsoft.Extensions.Options;

namespace Presence.Core.Tests.Support;

/// <summary>An in-memory store whose first sweeps throw, like a store that is briefly unreachable.</summary>
internal sealed class FlakySweepStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : DelegatingPresenceStore(options, timeProvider)
{
    private int _sweeps;

    public int FailingSweeps { get; set; } = 2;

    public int Sweeps => Volatile.Read(ref _sweeps);

    public override ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Interlocked.Increment(ref _sweeps) <= FailingSweeps
            ? throw new InvalidOperationException("The store is briefly unreachable.")
            : base.SweepExpiredAsync(maxConnections, cancellationToken);
}
