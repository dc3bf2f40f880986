using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Presence.Packaging.Tests;

/// <summary>What nuget.org would show: every package has its README and symbols, and the store package stays off ASP.NET Core.</summary>
public sealed partial class PackageContentsTests
{
    [Fact]
    public async Task EveryPackage_HasItsReadme_AndASymbolsPackage()
    {
        var feed = await LocalFeed.GetAsync();
        foreach (var package in LocalFeed.Packages)
        {
            Assert.True(File.Exists(feed.Nupkg(package)), $"{package}.{feed.Version}.nupkg was not packed.");
            Assert.True(File.Exists(feed.Snupkg(package)), $"{package}.{feed.Version}.snupkg (symbols) was not packed.");

            using (var nupkg = ZipFile.OpenRead(feed.Nupkg(package)))
            {
                var readme = nupkg.GetEntry("README.md");
                Assert.True(readme is not null, $"{package} has no README.md at its root.");
                using var reader = new StreamReader(readme.Open());
                var text = await reader.ReadToEndAsync();
                Assert.StartsWith("# " + package, text, StringComparison.Ordinal);
                Assert.True(text.Length > 400, $"{package}'s README.md is only {text.Length} characters.");

                // nuget.org shows the README outside the repository: a relative link leads nowhere there.
                Assert.Empty(RelativeLinks().Matches(text).Select(m => m.Value));
                Assert.Equal("README.md", Elements(Nuspec(nupkg), "readme").Single().Value);
                Assert.Contains(nupkg.Entries, e => e.FullName == $"lib/net10.0/{package}.dll");
                Assert.Contains(nupkg.Entries, e => e.FullName == $"lib/net10.0/{package}.xml");
            }

            using var snupkg = ZipFile.OpenRead(feed.Snupkg(package));
            Assert.Contains(snupkg.Entries, e => e.FullName == $"lib/net10.0/{package}.pdb");
        }
    }

    [Fact]
    public async Task PresenceRedis_DependsOnNoAspNetCore()
    {
        var feed = await LocalFeed.GetAsync();
        var redis = Dependencies(feed, "Presence.Redis");
        Assert.Contains($"Presence.Core/{feed.Version}", redis.Packages);
        Assert.Contains(redis.Packages, p => p.StartsWith("StackExchange.Redis/", StringComparison.Ordinal));
        Assert.DoesNotContain(redis.Packages, p => p.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(redis.Packages, p => p.StartsWith("Presence.SignalR", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(redis.Frameworks);

        // The check above can see a framework reference: the SignalR glue has one.
        var scaleOut = Dependencies(feed, "Presence.SignalR.Redis");
        Assert.Contains("Microsoft.AspNetCore.App", scaleOut.Frameworks);
        Assert.Contains($"Presence.Redis/{feed.Version}", scaleOut.Packages);
        Assert.Contains($"Presence.SignalR/{feed.Version}", scaleOut.Packages);
    }

    [Fact]
    public async Task PresenceTesting_BringsTheSuitesDependencies()
    {
        var feed = await LocalFeed.GetAsync();
        var testing = Dependencies(feed, "Presence.Testing");
        Assert.Contains($"Presence.Core/{feed.Version}", testing.Packages);
        Assert.Contains(testing.Packages, p => p.StartsWith("xunit/", StringComparison.Ordinal));
        Assert.Contains(testing.Packages, p => p.StartsWith("Microsoft.Extensions.TimeProvider.Testing/", StringComparison.Ordinal));
        Assert.Empty(testing.Frameworks);
    }

    private static (List<string> Packages, List<string> Frameworks) Dependencies(LocalFeed feed, string package)
    {
        using var nupkg = ZipFile.OpenRead(feed.Nupkg(package));
        var nuspec = Nuspec(nupkg);
        var packages = Elements(nuspec, "dependency")
            .Select(d => $"{(string?)d.Attribute("id")}/{(string?)d.Attribute("version")}")
            .ToList();
        var frameworks = Elements(nuspec, "frameworkReference").Select(d => (string?)d.Attribute("name") ?? "").ToList();
        return (packages, frameworks);
    }

    private static XDocument Nuspec(ZipArchive nupkg)
    {
        var entry = nupkg.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    [GeneratedRegex(@"\]\((?!https?://|#)[^)]*\)")]
    private static partial Regex RelativeLinks();

    private static IEnumerable<XElement> Elements(XDocument nuspec, string localName) =>
        nuspec.Descendants().Where(e => e.Name.LocalName == localName);
}
