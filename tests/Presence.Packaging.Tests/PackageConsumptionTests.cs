using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Presence.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: packed into a local folder, restored by name and version into
/// an app outside this repository (no project references, none of our build settings), built and run.
/// </summary>
public sealed class PackageConsumptionTests(ITestOutputHelper output) : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private static readonly string[] s_packages = ["Presence.Core", "Presence.Redis", "Presence.SignalR"];
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(5);

    private readonly string _work = Directory.CreateTempSubdirectory("presence-packaging-").FullName;

    // Unique per run, so the consumer can only have found it in this run's local feed.
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(100000)}";

    [Fact]
    public async Task ThePackedPackages_RestoreBuildAndRun_InASeparateApp()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_work, "feed")).FullName;
        var root = FindRepositoryRoot();
        foreach (var package in s_packages)
        {
            await RunAsync("dotnet", root, "pack", Path.Combine("src", package, package + ".csproj"), "-c", Configuration, "--no-build",
                "-o", feed, $"-p:PackageVersion={_version}");
        }

        foreach (var package in s_packages)
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{_version}.nupkg")), $"{package}.{_version}.nupkg was not packed.");
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{_version}.snupkg")), $"{package}.{_version}.snupkg (symbols) was not packed.");
        }

        var app = Path.Combine(_work, "app");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "ConsumerApp"), app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="presence-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var packages = Path.Combine(_work, "packages");
        await RunAsync("dotnet", app, "build", "-c", "Release", $"-p:PresenceVersion={_version}", $"-p:RestorePackagesPath={packages}");

        foreach (var package in s_packages)
        {
            var metadata = Path.Combine(packages, package.ToLowerInvariant(), _version, ".nupkg.metadata");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metadata));
            Assert.Equal(feed, json.RootElement.GetProperty("source").GetString()?.TrimEnd('/'));
        }

        var inMemory = await RunAsync("dotnet", app, "run", "-c", "Release", "--no-build");
        Assert.Contains("CONSUMER-OK store=InMemoryPresenceStore online=True events=UserOnline,UserOffline", inMemory);

        if (Environment.GetEnvironmentVariable("PRESENCE_TEST_REDIS") is { Length: > 0 } redis)
        {
            var onRedis = await RunAsync("dotnet", app, "run", "-c", "Release", "--no-build", "--", redis);
            Assert.Contains("CONSUMER-OK store=RedisPresenceStore online=True events=UserOnline,UserOffline", onRedis);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Presence.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Presence.sln not found above " + AppContext.BaseDirectory);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private async Task<string> RunAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The consumer must not inherit this repository's build: it is a user's app.
        start.Environment["NUGET_CERT_REVOCATION_MODE"] = "offline";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("MSBuildExtensionsPath");

        var text = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(s_commandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {s_commandTimeout}.\n{text}");
        }

        process.WaitForExit();
        var result = text.ToString();
        output.WriteLine($"$ {fileName} {string.Join(' ', arguments)}\n{result}");
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{result}");
        return result;
    }
}
