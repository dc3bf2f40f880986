using System.Text.RegularExpressions;
using Xunit;

namespace Presence.Packaging.Tests;

/// <summary>docs/custom-store.md shows the code the StoreSpecConsumer test builds and runs, so the page is proven.</summary>
public sealed partial class CustomStoreDocTests
{
    // The doc starts from `dotnet new xunit`, which references these already (and says so).
    private static readonly HashSet<string> s_fromTheXunitTemplate = ["xunit", "xunit.runner.visualstudio", "Microsoft.NET.Test.Sdk"];

    [Theory]
    [InlineData("CountingPresenceStore.cs")]
    [InlineData("CountingPresenceStoreSpecificationTests.cs")]
    public void TheDocPage_ShowsTheStoreSpecConsumerCode_Verbatim(string file)
    {
        var code = Normalize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "StoreSpecConsumer", file)));
        var blocks = CSharpBlocks().Matches(Normalize(Doc())).Select(m => m.Groups["code"].Value.TrimEnd() + "\n");

        Assert.True(blocks.Contains(code), $"docs/custom-store.md has no ```csharp block equal to StoreSpecConsumer/{file}:\n{code}");
    }

    [Fact]
    public void TheDocPage_InstallsEveryPackageTheStoreSpecConsumerReferences()
    {
        var project = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "StoreSpecConsumer", "StoreSpecConsumer.csproj"));
        var doc = Doc();
        foreach (Match reference in PackageReferences().Matches(project))
        {
            if (s_fromTheXunitTemplate.Contains(reference.Groups["id"].Value))
            {
                Assert.Contains($"`{reference.Groups["id"].Value}`", doc, StringComparison.Ordinal);
                continue;
            }

            Assert.Contains($"dotnet add package {reference.Groups["id"].Value}", doc, StringComparison.Ordinal);
        }
    }

    private static string Doc() => File.ReadAllText(Path.Combine(LocalFeed.RepositoryRoot(), "docs", "custom-store.md"));

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlocks();

    [GeneratedRegex(@"<PackageReference Include=""(?<id>[^""]+)""")]
    private static partial Regex PackageReferences();
}
