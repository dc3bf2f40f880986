using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Presence.Demo;
using Presence.SignalR.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// The demo's Redis team directory on a Redis of the test's own, with two demo nodes: a join is one
/// Redis command and lookups none, a team switch on another node reaches every node and leaves Redis
/// consistent, and a directory emptied by FLUSHALL is written back by the nodes whose users joined there.
/// </summary>
public sealed class DemoRedisTeamDirectoryTests : IAsyncLifetime
{
    private const string TeamOfUser = "{presence-demo}:team-of-user";
    private PrivateRedis _redis = null!;
    private TestApp _nodeA = null!;
    private TestApp _nodeB = null!;

    public async Task InitializeAsync()
    {
        _redis = await PrivateRedis.StartAsync();
        _nodeA = await StartNodeAsync();
        _nodeB = await StartNodeAsync();
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_join_is_one_redis_command_and_lookups_are_none()
    {
        var teams = Directory(_nodeA);
        await teams.JoinAsync("alice", "red");

        await using var monitor = await MonitorAsync();
        await teams.JoinAsync("alice", "red");
        await teams.JoinAsync("bob", "red");
        Assert.Equal("red", await teams.GetTeamAsync("alice"));
        Assert.Null(await teams.GetTeamAsync("nobody"));
        Assert.Equal(["alice", "bob"], (await teams.GetMembersAsync("red")).Order(StringComparer.Ordinal));
        var commands = await monitor.DirectoryCommandsAsync();

        // The once-every-few-seconds epoch check (a GET) may fall in the window; it is per node, not per join.
        var joins = commands.Where(c => !c.StartsWith("\"GET\"", StringComparison.Ordinal)).ToList();
        Assert.True(joins.Count == 2 && joins.All(c => c.StartsWith("\"EVAL", StringComparison.Ordinal)), "expected two script calls, saw: " + string.Join(" | ", commands));
    }

    [Fact]
    public async Task A_team_switch_on_another_node_reaches_every_node_and_leaves_redis_consistent()
    {
        await Directory(_nodeA).JoinAsync("carol", "red");
        await Eventually(async () => await Directory(_nodeB).GetTeamAsync("carol") == "red", "node B learns carol is in red");

        await Directory(_nodeB).JoinAsync("carol", "blue");

        foreach (var node in new[] { _nodeA, _nodeB })
        {
            await Eventually(
                async () => await Directory(node).GetTeamAsync("carol") == "blue"
                    && !(await Directory(node).GetMembersAsync("red")).Contains("carol")
                    && (await Directory(node).GetMembersAsync("blue")).Contains("carol"),
                "both nodes see carol in blue only");
        }

        Assert.Equal("blue", (string?)await _redis.Database.HashGetAsync(TeamOfUser, "carol"));
        Assert.False(await _redis.Database.SetContainsAsync("{presence-demo}:team:red", "carol"));
        Assert.True(await _redis.Database.SetContainsAsync("{presence-demo}:team:blue", "carol"));
    }

    [Fact]
    public async Task Racing_switches_of_one_user_on_two_nodes_leave_the_user_in_exactly_one_team()
    {
        for (var round = 0; round < 20; round++)
        {
            var user = "dave-" + round.ToString(CultureInfo.InvariantCulture);
            await Task.WhenAll(
                Directory(_nodeA).JoinAsync(user, "red").AsTask(),
                Directory(_nodeB).JoinAsync(user, "blue").AsTask(),
                Directory(_nodeA).JoinAsync(user, "green").AsTask());

            var team = (string?)await _redis.Database.HashGetAsync(TeamOfUser, user);
            var inSets = new List<string>();
            foreach (var candidate in new[] { "red", "blue", "green" })
            {
                if (await _redis.Database.SetContainsAsync("{presence-demo}:team:" + candidate, user))
                {
                    inSets.Add(candidate);
                }
            }

            Assert.Equal([team!], inSets);
            foreach (var node in new[] { _nodeA, _nodeB })
            {
                await Eventually(async () => await Directory(node).GetTeamAsync(user) == team, $"every node sees {user} in {team}");
            }
        }
    }

    [Fact]
    public async Task After_flushall_each_node_writes_back_whom_it_joined_and_a_newer_switch_is_kept()
    {
        await Directory(_nodeA).JoinAsync("erin", "red");
        await Directory(_nodeB).JoinAsync("frank", "blue");
        await Eventually(async () => (await Directory(_nodeA).GetMembersAsync("blue")).Contains("frank"), "node A learns frank is in blue");

        await _redis.Database.ExecuteAsync("FLUSHALL");

        // Nobody joins: the nodes find the epoch gone on their own.
        await Eventually(
            async () => (string?)await _redis.Database.HashGetAsync(TeamOfUser, "erin") == "red"
                && (string?)await _redis.Database.HashGetAsync(TeamOfUser, "frank") == "blue"
                && await _redis.Database.SetContainsAsync("{presence-demo}:team:red", "erin"),
            "both nodes wrote their users back");

        // A node started after the loss sees them.
        await using var nodeC = await StartNodeAsync();
        Assert.Equal("red", await Directory(nodeC).GetTeamAsync("erin"));
        Assert.Contains("frank", await Directory(nodeC).GetMembersAsync("blue"));
    }

    [Fact]
    public async Task A_write_back_does_not_undo_a_switch_made_on_another_node_after_the_loss()
    {
        await Directory(_nodeA).JoinAsync("gina", "red");
        await _redis.Database.ExecuteAsync("FLUSHALL");

        // gina signs in again on node B with another team before node A notices the loss.
        await Directory(_nodeB).JoinAsync("gina", "blue");
        await Eventually(async () => await Directory(_nodeA).GetTeamAsync("gina") == "blue", "node A learns gina's switch");

        Assert.Equal("blue", (string?)await _redis.Database.HashGetAsync(TeamOfUser, "gina"));
        Assert.False(await _redis.Database.SetContainsAsync("{presence-demo}:team:red", "gina"));
    }

    [Fact]
    public async Task Many_concurrent_joins_across_two_nodes_each_see_the_whole_team()
    {
        // The audience of a user's online is looked up right after the join, before the replica may have applied it.
        var users = Enumerable.Range(0, 40).Select(i => "member-" + i.ToString("D2", CultureInfo.InvariantCulture)).ToList();
        var seen = users.ToDictionary(u => u, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal), StringComparer.Ordinal);
        var clients = new List<PresenceTestClient>();
        try
        {
            await Task.WhenAll(users.Select(async (user, i) =>
            {
                var node = i % 2 == 0 ? _nodeA : _nodeB;
                var client = node.CreateDemoClient(await node.IssueTokenAsync(user, "crowd"), user);
                lock (clients)
                {
                    clients.Add(client);
                }

                // Every online, also those before the bulk-online (which the test client's own reader drops).
                client.Connection.On<JsonElement>(PresenceHubMethods.Online, m => seen[user][m.GetProperty("userId").GetString()!] = 0);
                await client.StartAsync();
                foreach (var other in client.BulkOnline)
                {
                    seen[user][other] = 0;
                }
            }));

            await Timeouts.WaitUntilAsync(
                () => ValueTask.FromResult(users.All(u => users.All(seen[u].ContainsKey))),
                "every member sees the whole team: missing " + string.Join(", ", users.Select(u => u + ":" + string.Join('/', users.Where(o => !seen[u].ContainsKey(o)))).Where(s => !s.EndsWith(':'))));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Over_the_hub_a_teammate_on_another_node_is_in_the_bulk_list_or_announced()
    {
        await using var alice = await _nodeA.ConnectDemoAsync("alice", "red");
        await using var bob = await _nodeB.ConnectDemoAsync("bob", "red");

        Assert.Contains("alice", bob.BulkOnline);

        // alice's own online crosses the backplane and may arrive after her bulk-online.
        var first = await alice.NextAsync();
        if (first.UserId == "alice")
        {
            first = await alice.NextAsync();
        }

        Assert.True(first.Method == PresenceHubMethods.Online && first.UserId == "bob", $"alice expected bob's online, got {first}");
    }

    private static ITeamDirectory Directory(TestApp node) => node.Services.GetRequiredService<ITeamDirectory>();

    private static Task Eventually(Func<Task<bool>> condition, string description) =>
        Timeouts.WaitUntilAsync(async () => await condition(), description);

    private Task<TestApp> StartNodeAsync() => TestApp.StartDemoAsync(new Dictionary<string, string?>
    {
        ["Presence:Store"] = "Redis",
        ["ConnectionStrings:Redis"] = _redis.Endpoint,
    });

    private async Task<Monitor> MonitorAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _redis.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal("+OK", await reader.ReadLineAsync());
        return new Monitor(client, reader, _redis);
    }

    /// <summary>A MONITOR connection: the directory commands clients sent (not those run inside scripts), up to a marker.</summary>
    private sealed class Monitor(TcpClient client, StreamReader reader, PrivateRedis redis) : IAsyncDisposable
    {
        public async Task<List<string>> DirectoryCommandsAsync()
        {
            var marker = "marker-" + Guid.NewGuid().ToString("N");
            await redis.Database.ExecuteAsync("ECHO", marker);
            var commands = new List<string>();
            using var timeout = new CancellationTokenSource(Timeouts.Default);
            while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.Contains(marker, StringComparison.Ordinal))
            {
                var close = line.IndexOf(']', StringComparison.Ordinal);
                if (close > 0 && !line[..close].EndsWith(" lua", StringComparison.Ordinal) && line.Contains("presence-demo", StringComparison.Ordinal))
                {
                    commands.Add(line[(close + 2)..]);
                }
            }

            return commands;
        }

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
