using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Presence.Packaging.Tests;

/// <summary>Runs the .NET CLI the way a user does: outside this repository's build, with its output captured.</summary>
internal static class Consumer
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The Redis server to run the consumers against too, when the test run has one.</summary>
    public static string? Redis => Environment.GetEnvironmentVariable("PRESENCE_TEST_REDIS") is { Length: > 0 } redis ? redis : null;

    /// <summary>
    /// Copies a consumer project out of the test's output into the run's work folder, with a
    /// nuget.config that adds the local feed and a packages folder of its own (empty, so everything
    /// in it was restored now). Disposing deletes both: the test host may be stopped right after the
    /// last test, so nothing big is left for the end of the run.
    /// </summary>
    public static async Task<ConsumerProject> CopyAsync(LocalFeed feed, string name)
    {
        var project = new ConsumerProject(feed, Path.Combine(feed.Work, name), Path.Combine(feed.Work, name + ".packages"));
        var from = Path.Combine(AppContext.BaseDirectory, name);
        Directory.CreateDirectory(project.Folder);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(project.Folder, Path.GetFileName(file)));
        }

        // Adds the local feed to the machine's sources (no <clear/>): everything else comes from the default NuGet source.
        await File.WriteAllTextAsync(Path.Combine(project.Folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="presence-local" value="{feed.Folder}" />
              </packageSources>
            </configuration>
            """);
        return project;
    }

    /// <summary>Runs <c>dotnet</c> and asserts it exited with 0.</summary>
    public static async Task<string> DotnetAsync(ITestOutputHelper? output, string workingDirectory, params string[] arguments)
    {
        var (exitCode, text) = await TryDotnetAsync(workingDirectory, arguments);
        output?.WriteLine($"$ dotnet {string.Join(' ', arguments)}\n{text}");
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{text}");
        return text;
    }

    /// <summary>Runs <c>dotnet</c> and returns its exit code and output (stdout and stderr, interleaved).</summary>
    public static async Task<(int ExitCode, string Output)> TryDotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The consumer must not inherit this repository's build (or the test host's): it is a user's project.
        start.Environment["NUGET_CERT_REVOCATION_MODE"] = "offline";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var inherited in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "VSTEST_HOST_DEBUG", "VSTEST_RUNNER_DEBUG" })
        {
            start.Environment.Remove(inherited);
        }

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
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {s_commandTimeout}.\n{text}");
        }

        process.WaitForExit();
        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }
}

/// <summary>A consumer project copied out of the repository, and its packages folder.</summary>
internal sealed class ConsumerProject(LocalFeed feed, string folder, string packages) : IDisposable
{
    public string Folder { get; } = folder;

    /// <summary>The properties every build of it gets: the packages' version, and its own packages folder.</summary>
    public string[] BuildProperties => [$"-p:PresenceVersion={feed.Version}", $"-p:RestorePackagesPath={packages}"];

    /// <summary>Asserts each package came from the local feed, in this run's version.</summary>
    public async Task AssertRestoredFromTheLocalFeedAsync(params string[] ids)
    {
        foreach (var id in ids)
        {
            var metadata = Path.Combine(packages, id.ToLowerInvariant(), feed.Version, ".nupkg.metadata");
            using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(metadata));
            Assert.Equal(feed.Folder, json.RootElement.GetProperty("source").GetString()?.TrimEnd('/'));
        }
    }

    public void Dispose()
    {
        foreach (var dir in new[] { Folder, packages })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
