namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>Generous waits for a busy 2-core machine: tests wait for what they expect, never for a fixed time.</summary>
internal static class Timeouts
{
    public static TimeSpan Default { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Polls a condition that no event announces (for example "the server has processed a disconnect").</summary>
    public static async Task WaitUntilAsync(Func<ValueTask<bool>> condition, string description)
    {
        using var cts = new CancellationTokenSource(Default);
        while (!await condition())
        {
            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {Default} waiting until {description}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
