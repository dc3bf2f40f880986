using Xunit;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>Test classes whose every test gets a fresh demo app on real Kestrel.</summary>
public abstract class DemoAppTests(IDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null) : IAsyncLifetime
{
    internal TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartDemoAsync(settings, timeProvider);

    public async Task DisposeAsync() => await App.DisposeAsync();
}
