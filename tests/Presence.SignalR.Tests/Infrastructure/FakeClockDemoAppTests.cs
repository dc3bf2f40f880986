using Microsoft.Extensions.Time.Testing;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>Demo-backed tests whose clock is a <see cref="FakeTimeProvider"/>: expiry, grace periods and limits without sleeping.</summary>
public abstract class FakeClockDemoAppTests : DemoAppTests
{
    // Starts at the real now so the demo's JWTs stay valid whichever clock validates them.
    protected FakeClockDemoAppTests(IDictionary<string, string?> settings)
        : this(settings, new FakeTimeProvider(DateTimeOffset.UtcNow))
    {
    }

    private FakeClockDemoAppTests(IDictionary<string, string?> settings, FakeTimeProvider time)
        : base(settings, time) =>
        Time = time;

    internal FakeTimeProvider Time { get; }
}
