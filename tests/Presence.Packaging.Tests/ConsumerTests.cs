using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Presence.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: restored by name and version from the local feed (everything
/// else from the default NuGet source) into projects outside this repository, built, run and tested.
/// Each class is its own xunit collection, so the three consumers build side by side.
/// </summary>
public sealed class WebAppConsumerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AWebApp_WithCoreRedisSignalRAndSignalRRedis_BuildsAndRuns()
    {
        var feed = await LocalFeed.GetAsync();
        using var app = await Consumer.CopyAsync(feed, "ConsumerApp");
        await Consumer.DotnetAsync(output, app.Folder, ["build", "-c", "Release", .. app.BuildProperties]);
        await app.AssertRestoredFromTheLocalFeedAsync("Presence.Core", "Presence.Redis", "Presence.SignalR", "Presence.SignalR.Redis");

        var inMemory = await Consumer.DotnetAsync(output, app.Folder, "run", "-c", "Release", "--no-build");
        Assert.Contains("CONSUMER-OK store=InMemoryPresenceStore backplane=DefaultHubLifetimeManager online=True status=busy versions=increasing events=UserOnline,UserStatusChanged,UserOffline", inMemory);

        if (Consumer.Redis is { } redis)
        {
            var scaledOut = await Consumer.DotnetAsync(output, app.Folder, "run", "-c", "Release", "--no-build", "--", redis);
            Assert.Contains("CONSUMER-OK store=RedisPresenceStore backplane=RedisHubLifetimeManager online=True status=busy versions=increasing events=UserOnline,UserStatusChanged,UserOffline", scaledOut);
        }
    }
}

public sealed class ConsoleAppConsumerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AConsoleApp_WithOnlyCoreAndRedis_BuildsAndRuns_WithoutAspNetCore()
    {
        var feed = await LocalFeed.GetAsync();
        using var app = await Consumer.CopyAsync(feed, "ConsoleConsumerApp");
        await Consumer.DotnetAsync(output, app.Folder, ["build", "-c", "Release", .. app.BuildProperties]);
        await app.AssertRestoredFromTheLocalFeedAsync("Presence.Core", "Presence.Redis");

        // Neither the shared framework nor any ASP.NET Core package came with the two packages.
        var bin = Path.Combine(app.Folder, "bin", "Release", "net10.0");
        using (var runtimeConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(bin, "ConsoleConsumerApp.runtimeconfig.json"))))
        {
            var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
            List<string> frameworks = options.TryGetProperty("frameworks", out var many)
                ? [.. many.EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "")]
                : [options.GetProperty("framework").GetProperty("name").GetString() ?? ""];
            Assert.Equal(["Microsoft.NETCore.App"], frameworks);
        }

        using (var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(app.Folder, "obj", "project.assets.json"))))
        {
            var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToList();
            Assert.Contains(libraries, l => l.StartsWith("StackExchange.Redis/", StringComparison.Ordinal));
            Assert.DoesNotContain(libraries, l => l.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(libraries, l => l.StartsWith("Presence.SignalR", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Empty(Directory.GetFiles(bin, "Microsoft.AspNetCore*.dll"));

        var inMemory = await Consumer.DotnetAsync(output, app.Folder, "run", "-c", "Release", "--no-build");
        Assert.Contains("CONSOLE-OK store=InMemoryPresenceStore online=True connections=2 users=1 offline=True lastSeen=True onlineAfter=False aspnetcore=False", inMemory);

        if (Consumer.Redis is { } redis)
        {
            var onRedis = await Consumer.DotnetAsync(output, app.Folder, "run", "-c", "Release", "--no-build", "--", redis);
            Assert.Contains("CONSOLE-OK store=RedisPresenceStore online=True connections=2 users=1 offline=True lastSeen=True onlineAfter=False aspnetcore=False", onRedis);
        }
    }
}

public sealed partial class StoreSpecConsumerTests(ITestOutputHelper output)
{
    /// <summary>Fewer would mean the derived class no longer inherits the suite (today: well over a hundred, theories counted per case).</summary>
    private const int MinimumSpecificationTests = 80;

    [Fact]
    public async Task AThirdPartyStore_PassesTheSpecificationSuite_FromThePresenceTestingPackage()
    {
        var feed = await LocalFeed.GetAsync();
        using var project = await Consumer.CopyAsync(feed, "StoreSpecConsumer");
        var text = await Consumer.DotnetAsync(output, project.Folder, ["test", "-c", "Release", .. project.BuildProperties]);
        await project.AssertRestoredFromTheLocalFeedAsync("Presence.Core", "Presence.Testing");

        var summary = Summary().Match(text);
        Assert.True(summary.Success, "No test summary in the output of dotnet test:\n" + text);
        output.WriteLine("SPECIFICATION " + summary.Value);
        var failed = int.Parse(summary.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var passed = int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var skipped = int.Parse(summary.Groups["skipped"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, failed);
        Assert.Equal(0, skipped);
        Assert.True(passed >= MinimumSpecificationTests, $"Only {passed} specification tests ran against the custom store:\n{text}");
    }

    [GeneratedRegex(@"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+),\s*Skipped:\s*(?<skipped>\d+),\s*Total:\s*(?<total>\d+)")]
    private static partial Regex Summary();
}
