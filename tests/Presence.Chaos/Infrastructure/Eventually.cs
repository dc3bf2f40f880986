namespace Presence.Chaos.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls a condition until it holds; for state with no event to wait on (a process, a store).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {because}.");
            }

            await Task.Delay(50);
        }
    }
}
