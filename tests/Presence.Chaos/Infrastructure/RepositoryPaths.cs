namespace Presence.Chaos.Infrastructure;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The demo built in the same configuration as this test assembly.</summary>
    public static string DemoAssembly
    {
        get
        {
#if DEBUG
            const string Configuration = "Debug";
#else
            const string Configuration = "Release";
#endif
            var path = Path.Combine(Root, "samples", "Presence.Demo", "bin", Configuration, "net10.0", "Presence.Demo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the demo first: {path} is missing.", path);
        }
    }

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
