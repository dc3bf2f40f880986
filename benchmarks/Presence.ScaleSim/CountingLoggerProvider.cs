using Microsoft.Extensions.Logging;

namespace Presence.ScaleSim;

/// <summary>The only log output of a node: warnings and errors of live nodes go to the run's <see cref="ErrorLog"/> (errors fail the run).</summary>
/// <param name="node">The node.</param>
/// <param name="state">The run.</param>
internal sealed class CountingLoggerProvider(int node, SimState state) : ILoggerProvider
{
    /// <summary>Creates a logger for a category.</summary>
    /// <param name="categoryName">The category.</param>
    /// <returns>The logger.</returns>
    public ILogger CreateLogger(string categoryName) => new CountingLogger(node, categoryName, state);

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }
}
