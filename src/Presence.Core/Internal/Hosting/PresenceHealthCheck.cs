using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// Healthy when the store answers and the sweeper has swept recently; Unhealthy when the store
/// fails; Degraded when sweeps lag (dead connections would linger as ghosts).
/// </summary>
internal sealed class PresenceHealthCheck(
    IPresenceStore store,
    SweepState sweepState,
    TimeProvider timeProvider,
    IOptions<PresenceOptions> options) : IHealthCheck
{
    /// <summary>How many sweep intervals may pass without a successful sweep before the check degrades.</summary>
    internal const int AllowedMissedSweeps = 5;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        PresenceCounts counts;
        try
        {
            counts = await store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any store failure is the answer.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The presence store is unreachable.", exception);
        }

        var lag = timeProvider.GetUtcNow() - sweepState.LastSuccess;
        var data = new Dictionary<string, object>
        {
            ["onlineUsers"] = counts.OnlineUsers,
            ["connections"] = counts.Connections,
            ["sweepLagSeconds"] = Math.Round(lag.TotalSeconds, 3),
        };

        var allowed = options.Value.SweepInterval * AllowedMissedSweeps;
        return lag > allowed
            ? HealthCheckResult.Degraded($"No successful sweep for {lag.TotalSeconds:0.#} s (more than {allowed.TotalSeconds:0.#} s): expired connections are not being removed.", data: data)
            : HealthCheckResult.Healthy("The presence store answers and sweeps are on time.", data);
    }
}
