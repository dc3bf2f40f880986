using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

public sealed class PresenceMetricsTests
{
    [Fact]
    public async Task Transitions_AreCountedByKindAndReason()
    {
        await using var context = new PresenceTestContext(configureServices: s => s.AddMetrics());
        using var transitions = Collector<long>(context, "presence.transitions");

        await context.Tracker.ConnectAsync("alice", "a1");
        await context.Tracker.ConnectAsync("alice", "a2");
        await context.Tracker.ConnectAsync("bob", "b1");
        await context.Tracker.DisconnectAsync("bob", "b1");
        context.Time.Advance(PresenceTestContext.Ttl);
        await context.Tracker.SweepAsync();

        var measurements = transitions.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count(m => Equals(m.Tags["presence.transition"], "online")));
        Assert.Single(measurements, m => Equals(m.Tags["presence.transition"], "offline") && Equals(m.Tags["presence.offline.reason"], "disconnected"));
        Assert.Single(measurements, m => Equals(m.Tags["presence.transition"], "offline") && Equals(m.Tags["presence.offline.reason"], "expired"));
    }

    [Fact]
    public async Task Heartbeats_SweptConnections_AndStoreFailures_AreCounted()
    {
        await using var context = new PresenceTestContext(configureServices: s => s.AddMetrics());
        using var heartbeats = Collector<long>(context, "presence.heartbeats");
        using var swept = Collector<long>(context, "presence.sweep.expired");
        using var sweepDuration = Collector<double>(context, "presence.sweep.duration");
        using var storeDuration = Collector<double>(context, "presence.store.operation.duration");

        await context.Tracker.ConnectAsync("alice", "a1");
        await context.Tracker.ConnectAsync("alice", "a2");
        await context.Tracker.PingAsync("alice", "a1");
        await context.Tracker.PingAsync("alice", "a1");
        context.Time.Advance(PresenceTestContext.Ttl);
        await context.Tracker.SweepAsync();

        Assert.Equal(2, heartbeats.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, swept.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Single(sweepDuration.GetMeasurementSnapshot());
        Assert.Contains(storeDuration.GetMeasurementSnapshot(), m => Equals(m.Tags["presence.store.operation"], "ConnectAsync"));
        Assert.Contains(storeDuration.GetMeasurementSnapshot(), m => Equals(m.Tags["presence.store.operation"], "PingAsync"));
    }

    [Fact]
    public async Task ActiveConnectionsAndOnlineUsers_AreThisNodesConnections()
    {
        await using var context = new PresenceTestContext(configureServices: s => s.AddMetrics());
        using var connections = Collector<long>(context, "presence.connections.active");
        using var users = Collector<long>(context, "presence.users.online");

        await context.Tracker.ConnectAsync("alice", "a1");
        await context.Tracker.ConnectAsync("alice", "a2");
        await context.Tracker.ConnectAsync("bob", "b1");
        connections.RecordObservableInstruments();
        users.RecordObservableInstruments();
        Assert.Equal(3, connections.LastMeasurement!.Value);
        Assert.Equal(2, users.LastMeasurement!.Value);

        await context.Tracker.DisconnectAsync("alice", "a1");
        await context.Tracker.DisconnectAsync("bob", "b1");
        connections.RecordObservableInstruments();
        users.RecordObservableInstruments();
        Assert.Equal(1, connections.LastMeasurement!.Value);
        Assert.Equal(1, users.LastMeasurement!.Value);
    }

    [Fact]
    public async Task StoreFailures_AreCountedByOperation()
    {
        await using var context = new PresenceTestContext(
            configure: b => b.AddStore<FailingStore>(),
            configureServices: s => s.AddMetrics());
        using var failures = Collector<long>(context, "presence.store.failures");

        await Assert.ThrowsAnyAsync<Exception>(async () => await context.Tracker.ConnectAsync("alice", "a1"));

        Assert.Single(failures.GetMeasurementSnapshot(), m => Equals(m.Tags["presence.store.operation"], "ConnectAsync"));
    }

    [Fact]
    public void TheMeterName_IsPublicAndStable() => Assert.Equal("Presence", PresenceDiagnostics.MeterName);

    private static MetricCollector<T> Collector<T>(PresenceTestContext context, string instrument)
        where T : struct =>
        new(context.Services.GetRequiredService<IMeterFactory>(), PresenceDiagnostics.MeterName, instrument);
}
