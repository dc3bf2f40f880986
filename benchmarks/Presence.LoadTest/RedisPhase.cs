using System.Globalization;

namespace Presence.LoadTest;

/// <summary>
/// Redis seen from Redis: <see cref="LoadTestOptions.RedisUsers"/> users join one team one by one under
/// MONITOR (each pinging from its first moment, like every client here), then only ping for a few
/// seconds. Commands per ping come from the second window; commands per join from the first, less the
/// pings made in it at that rate.
/// </summary>
internal sealed class RedisPhase(LoadTestOptions options, TextWriter log)
{
    private static readonly TimeSpan PingWindow = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits until the leaves of the clients before are done with (no UNSUBSCRIBE for a second, at most
    /// 20 s), so they are not charged to this phase's joins; returns the count at that point.
    /// </summary>
    private static async Task<RedisCommandCount> QuietAsync(RedisMonitor monitor, CancellationToken cancellationToken)
    {
        var last = await monitor.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            var now = await monitor.SnapshotAsync(cancellationToken).ConfigureAwait(false);
            if (now.ByCommand.GetValueOrDefault("UNSUBSCRIBE") == last.ByCommand.GetValueOrDefault("UNSUBSCRIBE"))
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    public async Task RunAsync(HttpClient http, Uri hubUrl, string redisEndpoint, LoadTestResult result, CancellationToken cancellationToken)
    {
        var run = new LoadTestRun();
        var clients = Enumerable.Range(0, options.RedisUsers)
            .Select(i => new LoadClient(run, "redis-user-" + i.ToString("D6", CultureInfo.InvariantCulture), "redis-team"))
            .ToList();
        using var pinging = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pingLoops = new List<Task>();
        try
        {
            await LoadTestRunner.ForEachAsync(clients, options.ConnectConcurrency, c => LoadTestRunner.SignInAsync(http, c, cancellationToken), run, "token").ConfigureAwait(false);
            await using var monitor = await RedisMonitor.StartAsync(redisEndpoint, cancellationToken).ConfigureAwait(false);
            var start = await QuietAsync(monitor, cancellationToken).ConfigureAwait(false);
            foreach (var client in clients)
            {
                try
                {
                    await client.ConnectAsync(hubUrl, cancellationToken).ConfigureAwait(false);
                    pingLoops.Add(client.PingLoopAsync(options.PingInterval, pinging.Token));
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    run.Error("redis-phase connect", client.UserId, exception);
                }
            }

            var incomplete = await LoadTestRunner.WaitForConsistentViewsAsync(clients, cancellationToken).ConfigureAwait(false);
            var joined = await monitor.SnapshotAsync(cancellationToken).ConfigureAwait(false);
            var pingsWhileJoining = run.PingRoundTrip.Count;
            await Task.Delay(PingWindow, cancellationToken).ConfigureAwait(false);
            var end = await monitor.SnapshotAsync(cancellationToken).ConfigureAwait(false);
            var pings = run.PingRoundTrip.Count - pingsWhileJoining;

            result.RedisPhaseUsers = clients.Count(c => c.IsConnected);
            result.RedisJoinCommands = joined.Since(start);
            result.RedisJoinWindowPings = pingsWhileJoining;
            result.RedisPingCommands = end.Since(joined);
            result.RedisPingWindowPings = pings;
            result.RedisPhaseErrors = run.Errors + incomplete + (clients.Count - result.RedisPhaseUsers);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis phase: {result.RedisPhaseUsers} users joined one team, {result.RedisJoinWindowPings} pings meanwhile; then {pings} pings in {PingWindow.TotalSeconds:0} s"));
            foreach (var sample in run.ErrorSamples)
            {
                log.WriteLine("  redis phase error: " + sample);
            }
        }
        finally
        {
            run.Stopping();
            await pinging.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pingLoops).ConfigureAwait(false);
            await LoadTestRunner.DisposeAllAsync(clients).ConfigureAwait(false);
        }
    }
}
