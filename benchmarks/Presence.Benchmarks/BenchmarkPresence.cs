using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>Builds our store and tracker the way an app gets them, so benchmarks measure what users run.</summary>
internal static class BenchmarkPresence
{
    public static InMemoryPresenceStore Store(TimeProvider? timeProvider = null) =>
        new(Options.Create(new PresenceOptions()), timeProvider ?? TimeProvider.System);

    /// <summary>An <c>AddPresence()</c> container with logging discarded; the hosted sweeper is never started.</summary>
    public static ServiceProvider Container()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddPresence();
        return services.BuildServiceProvider();
    }
}
