using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Presence.Packaging.Tests;

/// <summary>Runs the .NET CLI the way a user does: outside this repository's build, with its output captured.</summary>
internal static class Consumer
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The Redis server to run the consumers against too, when the test run has one.</summary>
    public static string? Redis => Environment.GetEnvironmentVariable("PRESENCE_TEST_REDIS") is { Length: > 0 } redis ? redis : null;

    /// <summary>Copies a consumer project out of the test's output into <paramref name="feed"/>'s work folder, with a nuget.config that adds the local feed.</summary>
    public static async Task<string> CopyAsync(LocalFeed feed, string name)
    {
        var to = Path.Combine(feed.Work, name);
        var from = Path.Combine(AppContext.BaseDirectory, name);
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        // Adds the local feed to the machine's sources (no <clear/>): everything else comes from the default NuGet source.
        await File.WriteAllTextAsync(Path.Combine(to, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="presence-local" value="{feed.Folder}" />
              </packageSources>
            </configuration>
            """);
        return to;
    }

    /// <summary>The properties every consumer build gets: the packages' version, and a packages folder of this run's own.</summary>
    public static string[] BuildProperties(LocalFeed feed) =>
        [$"-p:PresenceVersion={feed.Version}", $"-p:RestorePackagesPath={feed.PackagesFolder}"];

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
