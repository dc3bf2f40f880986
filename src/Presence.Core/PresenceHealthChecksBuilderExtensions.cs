using Microsoft.Extensions.Diagnostics.HealthChecks;
using Presence;
using Presence.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the presence health check to ASP.NET Core / Microsoft.Extensions health checks.</summary>
public static class PresenceHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that reports whether the presence store (in-memory, Redis, or yours) answers, and
    /// whether expiry sweeps are on time: Unhealthy (or <paramref name="failureStatus"/>) when the store
    /// fails, Degraded when no sweep succeeded for five sweep intervals.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status reported when the store fails; Unhealthy when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example "ready").</param>
    /// <returns>The health checks builder.</returns>
    public static IHealthChecksBuilder AddPresenceCheck(
        this IHealthChecksBuilder builder,
        string name = "presence",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.AddCheck<PresenceHealthCheck>(name, failureStatus, tags ?? []);
    }

    /// <summary>Adds the presence health check (see <see cref="AddPresenceCheck"/>) from the presence builder.</summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The presence builder.</returns>
    public static IPresenceBuilder AddHealthCheck(this IPresenceBuilder builder, string name = "presence", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddPresenceCheck(name, tags: tags);
        return builder;
    }
}
