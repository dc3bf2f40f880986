namespace Presence.SignalR.Tests.Infrastructure;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The demo's project directory: its wwwroot (with the npm-restored SignalR client) is served from there.</summary>
    public static string DemoContentRoot => Path.Combine(Root, "samples", "Presence.Demo");

    private static string FindRoot()
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
}
