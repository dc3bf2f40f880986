using Presence.ScaleOut.Tests.Infrastructure;
using Xunit;

namespace Presence.ScaleOut.Tests;

/// <summary>A demo node with a wrong store setting, or the public dev key outside Development, refuses to start and says what to fix.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class DemoStartupTests
{
    [Theory]
    [InlineData("Bogus", "127.0.0.1:1", "Presence:Store is 'Bogus', which is not a known store: use 'InMemory' (the default) or 'Redis'.")]
    [InlineData("Redis", "", "Presence:Store is 'Redis' but the connection string 'ConnectionStrings:Redis' is missing.")]
    public async Task A_bad_store_setting_stops_the_node_with_a_clear_error(string store, string connectionString, string expected)
    {
        await using var node = new DemoNode("bad", connectionString, new Dictionary<string, string> { ["Presence__Store"] = store });

        var exitCode = await node.RunUntilExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(expected, node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_with_the_public_dev_signing_key_the_node_refuses_to_start_naming_the_setting()
    {
        await using var node = new DemoNode("production", "127.0.0.1:1", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Presence__Store"] = "InMemory",
        });

        var exitCode = await node.RunUntilExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Demo:SigningKey", node.Output, StringComparison.Ordinal);
        Assert.Contains("Demo__SigningKey", node.Output, StringComparison.Ordinal);
    }
}
