using System.Diagnostics;
using Presence.ScaleOut.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Presence.ScaleOut.Tests;

/// <summary>
/// The demo's team directory on the Redis the presence store and the backplane share: joining and
/// switching teams never sends a WATCH/MULTI/EXEC transaction on that connection (StackExchange.Redis
/// blocks the shared writer while it waits for a transaction's conditions), a switch moves the user
/// from one team's set to the other's, and after lost data each node writes back the teams of the users
/// it still holds, without overwriting a switch another node made meanwhile, and never the old team of a
/// user who left it.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class TeamDirectoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    // The demo's keys (RedisTeamDirectory): one hash user → team, one set per team.
    private const string TeamOfUserKey = "{presence-demo}:team-of-user";
    private const string MembersKeyPrefix = "{presence-demo}:team:";

    private const string NodeCClientName = "presence-demo-node-c";

    private readonly ScaleOutCluster _cluster = new();
    private DemoNode? _nodeC;

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync()
    {
        output.WriteLine("--- node A ---\n" + (_cluster.A?.Output ?? string.Empty));
        output.WriteLine("--- node B ---\n" + (_cluster.B?.Output ?? string.Empty));
        if (_nodeC is not null)
        {
            output.WriteLine("--- node C ---\n" + _nodeC.Output);
        }

        await _cluster.DisposeAsync();
        if (_nodeC is not null)
        {
            await _nodeC.DisposeAsync();
        }
    }

    [Fact]
    public async Task Joining_a_team_and_switching_to_another_never_sends_WATCH_MULTI_or_EXEC_to_the_shared_Redis()
    {
        Assert.Equal("OK", await _cluster.Redis.CommandAsync("CONFIG", "RESETSTAT"));

        var onA = await _cluster.ConnectAsync(_cluster.A, "ann", team: "red");
        await SignInAgainAsync(onA, _cluster.B, team: "blue");
        Assert.Equal("blue", await TeamOfAsync("ann"));

        var stats = await _cluster.Redis.CommandAsync("INFO", "commandstats");
        output.WriteLine(stats);
        Assert.DoesNotContain("cmdstat_watch:", stats, StringComparison.Ordinal);
        Assert.DoesNotContain("cmdstat_multi:", stats, StringComparison.Ordinal);
        Assert.DoesNotContain("cmdstat_exec:", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_team_switch_the_directory_maps_the_user_to_the_new_team_whose_set_alone_holds_them()
    {
        var onA = await _cluster.ConnectAsync(_cluster.A, "ann", team: "red");
        var teammate = await _cluster.ConnectAsync(_cluster.A, "ari", team: "red");
        Assert.Equal("red", await TeamOfAsync("ann"));
        Assert.True(await IsMemberAsync("red", "ann"));

        await SignInAgainAsync(onA, _cluster.B, team: "blue");

        Assert.Equal("blue", await TeamOfAsync("ann"));
        Assert.True(await IsMemberAsync("blue", "ann"));
        Assert.False(await IsMemberAsync("red", "ann"));
        Assert.True(await IsMemberAsync("red", teammate.UserId));
        Assert.Equal("red", await TeamOfAsync(teammate.UserId));
    }

    [Fact]
    public async Task After_a_Redis_restart_each_node_writes_back_the_teams_of_its_connected_users()
    {
        await _cluster.ConnectAsync(_cluster.A, "ada", team: "red");
        await _cluster.ConnectAsync(_cluster.B, "ben", team: "blue");

        await _cluster.Redis.KillAsync();
        await _cluster.Redis.StartAsync(); // same port, no data
        var back = Stopwatch.StartNew();

        await Eventually.TrueAsync(
            async () => await TeamOfAsync("ada") == "red" && await IsMemberAsync("red", "ada")
                && await TeamOfAsync("ben") == "blue" && await IsMemberAsync("blue", "ben"),
            ScaleOutCluster.Patience, "node A wrote ada back to red and node B ben to blue");
        output.WriteLine($"Both teams were written back {back.Elapsed.TotalSeconds:0.00} s after Redis answered again.");
        Assert.False(await IsMemberAsync("blue", "ada"));
        Assert.False(await IsMemberAsync("red", "ben"));
    }

    [Fact]
    public async Task Writing_back_after_lost_data_keeps_a_team_switch_another_node_made_meanwhile()
    {
        var nodeC = await AnnLeftNodeCForBlueOnBAsync();
        Assert.Equal("blue", await TeamOfAsync("ann"));

        // The data is lost; B reconnects first and writes ann back to blue.
        Assert.Equal("OK", await _cluster.Redis.CommandAsync("FLUSHALL"));
        await ReconnectBUntilAnnIsBackOnBlueAsync();

        // Then C reconnects and writes back what it holds, which must not undo the switch.
        Assert.Contains("wrote back 1 team memberships", await ReconnectAndWriteBackAsync(nodeC), StringComparison.Ordinal);
        Assert.Equal("red", await TeamOfAsync("bob"));
        Assert.True(await IsMemberAsync("red", "bob"));
        Assert.Equal("blue", await TeamOfAsync("ann"));
        Assert.True(await IsMemberAsync("blue", "ann"));
        Assert.False(await IsMemberAsync("red", "ann"));
    }

    [Fact]
    public async Task After_lost_data_a_node_that_no_longer_holds_a_user_does_not_write_back_their_old_team()
    {
        var nodeC = await AnnLeftNodeCForBlueOnBAsync();

        // The data is lost and C, which held ann before, reconnects first: it writes back only bob, whom it holds.
        Assert.Equal("OK", await _cluster.Redis.CommandAsync("FLUSHALL"));
        Assert.Contains("wrote back 1 team memberships", await ReconnectAndWriteBackAsync(nodeC), StringComparison.Ordinal);
        Assert.Equal("red", await TeamOfAsync("bob"));
        Assert.Null(await TeamOfAsync("ann"));
        Assert.False(await IsMemberAsync("red", "ann"));

        // B, which holds ann, puts her back on blue.
        await ReconnectBUntilAnnIsBackOnBlueAsync();
        Assert.False(await IsMemberAsync("red", "ann"));
    }

    /// <summary>
    /// Starts node C, which logs what it writes back and names its Redis connections so the test can drop
    /// them alone. Bob joins red on C; ann joins red on C, leaves, and signs in again with blue on B.
    /// </summary>
    private async Task<DemoNode> AnnLeftNodeCForBlueOnBAsync()
    {
        var settings = new Dictionary<string, string>(ScaleOutCluster.Settings)
        {
            ["Logging__LogLevel__Presence.Demo.RedisTeamDirectory"] = "Information",
        };
        _nodeC = new DemoNode("C", $"{_cluster.Redis.Endpoint},name={NodeCClientName}", settings);
        await _nodeC.StartAsync();

        await _cluster.ConnectAsync(_nodeC, "bob", team: "red");
        var annOnC = await _cluster.ConnectAsync(_nodeC, "ann", team: "red");
        await SignInAgainAsync(annOnC, _cluster.B, team: "blue");
        return _nodeC;
    }

    /// <summary>Drops the Redis connections of every node but C, and waits until B, which holds ann, wrote her back to blue.</summary>
    private async Task ReconnectBUntilAnnIsBackOnBlueAsync()
    {
        await KillConnectionsAsync(name => name != NodeCClientName);
        await Eventually.TrueAsync(
            async () => await TeamOfAsync("ann") == "blue" && await IsMemberAsync("blue", "ann"),
            ScaleOutCluster.Patience, "node B wrote ann back to blue");
    }

    /// <summary>Drops node C's Redis connections and waits for its write-back; returns what C logged meanwhile.</summary>
    private async Task<string> ReconnectAndWriteBackAsync(DemoNode nodeC)
    {
        var logged = nodeC.Output.Length;
        await KillConnectionsAsync(name => name == NodeCClientName);
        await Eventually.TrueAsync(
            () => Task.FromResult(nodeC.Output[logged..].Contains("wrote back", StringComparison.Ordinal)),
            ScaleOutCluster.Patience, "node C wrote its team memberships back");
        return nodeC.Output[logged..];
    }

    /// <summary>A team switch the way the demo allows one: the user leaves, is offline, then signs in with the other team.</summary>
    private async Task<PresenceClient> SignInAgainAsync(PresenceClient client, DemoNode node, string team)
    {
        await client.DisposeAsync();
        await Eventually.TrueAsync(
            async () => !(await ScaleOutCluster.GetPresenceAsync(node, client.UserId)).Online,
            ScaleOutCluster.Patience, $"{client.UserId} is offline");
        return await _cluster.ConnectAsync(node, client.UserId, team);
    }

    private async Task<string?> TeamOfAsync(string userId)
    {
        var team = await _cluster.Redis.CommandAsync("HGET", TeamOfUserKey, userId);
        return team.Length == 0 ? null : team;
    }

    private async Task<bool> IsMemberAsync(string team, string userId) =>
        await _cluster.Redis.CommandAsync("SISMEMBER", MembersKeyPrefix + team, userId) == "1";

    /// <summary>Drops the Redis connections of the clients whose name matches (the nodes reconnect by themselves).</summary>
    private async Task KillConnectionsAsync(Func<string, bool> ofClientNamed)
    {
        var clients = await _cluster.Redis.CommandAsync("CLIENT", "LIST");
        var killed = 0;
        foreach (var line in clients.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            if (fields.GetValueOrDefault("cmd") != "client|list" && ofClientNamed(fields.GetValueOrDefault("name", string.Empty)))
            {
                await _cluster.Redis.CommandAsync("CLIENT", "KILL", "ID", fields["id"]);
                killed++;
            }
        }

        Assert.True(killed > 0, "No Redis connection matched:\n" + clients);
    }
}
