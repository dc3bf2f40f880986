using Microsoft.Extensions.Logging;

namespace Presence.ScaleSim;

/// <summary>Counts a live node's warnings and errors into the run's <see cref="ErrorLog"/>; drops everything else.</summary>
/// <param name="node">The node.</param>
/// <param name="category">The logger category.</param>
/// <param name="run">The run.</param>
internal sealed class CountingLogger(int node, string category, SimState run) : ILogger
{
    /// <summary>No scopes.</summary>
    /// <typeparam name="TState">The scope state.</typeparam>
    /// <param name="state">Ignored.</param>
    /// <returns><see langword="null"/>.</returns>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <summary>Warnings and above.</summary>
    /// <param name="logLevel">The level.</param>
    /// <returns>Whether it is counted.</returns>
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    /// <summary>Counts the entry when the node is alive and the run is recording.</summary>
    /// <typeparam name="TState">The entry's state.</typeparam>
    /// <param name="logLevel">The level.</param>
    /// <param name="eventId">The event id.</param>
    /// <param name="state">The state.</param>
    /// <param name="exception">The exception, if any.</param>
    /// <param name="formatter">Formats the message.</param>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || !run.Recording || run.IsCrashed(node))
        {
            return;
        }

        var text = $"node {node} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " (" + exception.GetType().Name + ": " + exception.Message + ")")}";
        if (logLevel >= LogLevel.Error)
        {
            run.Errors.LoggedError(text);
        }
        else
        {
            run.Errors.Warning(text);
        }
    }
}
