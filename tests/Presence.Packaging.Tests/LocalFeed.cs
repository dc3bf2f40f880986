namespace Presence.Packaging.Tests;

/// <summary>
/// The five packages, packed once per test run (from the outputs this project's build made) into a
/// local folder, with a version unique to the run so a consumer can only have found them there.
/// </summary>
internal sealed class LocalFeed
{
    public static readonly string[] Packages =
        ["Presence.Core", "Presence.Redis", "Presence.SignalR", "Presence.SignalR.Redis", "Presence.Testing"];

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const string WorkPrefix = "presence-packaging-";

    private static readonly Lazy<Task<LocalFeed>> s_feed = new(PackAsync);

    private LocalFeed(string work)
    {
        Work = work;
        Folder = Directory.CreateDirectory(Path.Combine(work, "feed")).FullName;
    }

    /// <summary>The run's scratch folder (deleted when the test process exits, or by a later run).</summary>
    public string Work { get; }

    /// <summary>The local feed.</summary>
    public string Folder { get; }

    /// <summary>The version the packages were packed with.</summary>
    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(100000)}";

    public static Task<LocalFeed> GetAsync() => s_feed.Value;

    public string Nupkg(string package) => Path.Combine(Folder, $"{package}.{Version}.nupkg");

    public string Snupkg(string package) => Path.Combine(Folder, $"{package}.{Version}.snupkg");

    public static string RepositoryRoot()
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

    private static async Task<LocalFeed> PackAsync()
    {
        DeleteLeftovers();
        var feed = new LocalFeed(Directory.CreateTempSubdirectory(WorkPrefix).FullName);

        // What is left at the end (the feed, a few MB) goes when the process exits, if the test host
        // gets that far; a later run deletes it otherwise.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StartDelete(feed.Work);

        var root = RepositoryRoot();
        await Task.WhenAll(Packages.Select(package => Consumer.DotnetAsync(null, root,
            "pack", Path.Combine("src", package, package + ".csproj"), "-c", Configuration, "--no-build",
            "-o", feed.Folder, $"-p:PackageVersion={feed.Version}")));
        return feed;
    }

    /// <summary>Work folders of earlier runs that were killed before they could clean up (no run lasts two hours).</summary>
    private static void DeleteLeftovers()
    {
        foreach (var dir in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories(WorkPrefix + "*"))
        {
            if (dir.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-2))
            {
                try
                {
                    dir.Delete(recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static void StartDelete(string folder)
    {
        try
        {
            var delete = OperatingSystem.IsWindows()
                ? new System.Diagnostics.ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", "rd", "/s", "/q", folder } }
                : new System.Diagnostics.ProcessStartInfo("rm") { ArgumentList = { "-rf", folder } };
            delete.UseShellExecute = false;
            System.Diagnostics.Process.Start(delete)?.Dispose();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
        }
    }
}
