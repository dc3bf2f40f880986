using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>The typed readers decode each script's reply shape (documented on <see cref="RedisScripts"/>) by name.</summary>
public sealed class ScriptReplyTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123);

    [Fact]
    public void Connect_CameOnline_WithVersionTimeAndChangedEpoch()
    {
        var reply = ConnectReply.Read(Reply(1, 42, At.ToUnixTimeMilliseconds(), "e2"));
        Assert.Equal(new ConnectReply(LeaseStatus.Held, PresenceTransition.CameOnline(42, At), "e2"), reply);
        Assert.Equal(new ConnectReply(LeaseStatus.Held, PresenceTransition.None, null), ConnectReply.Read(Reply(0, 0, At.ToUnixTimeMilliseconds(), "")));
        Assert.Equal(new ConnectReply(LeaseStatus.Lost, PresenceTransition.None, null), ConnectReply.Read(Reply(-1, 0, At.ToUnixTimeMilliseconds(), "")));
        Assert.Equal(new ConnectReply(LeaseStatus.DataLost, PresenceTransition.None, "e3"), ConnectReply.Read(Reply(-2, 0, At.ToUnixTimeMilliseconds(), "e3")));
    }

    [Fact]
    public void Disconnect_EachOutcome()
    {
        Assert.Equal(PresenceTransition.WentOffline(7, At), DisconnectReply.Read(Reply(1, 7, At.ToUnixTimeMilliseconds())).Transition);
        var grace = DisconnectReply.Read(Reply(2, 0, At.ToUnixTimeMilliseconds()));
        Assert.Equal((DisconnectOutcome.GraceStarted, At.ToUnixTimeMilliseconds(), PresenceTransition.None), (grace.Outcome, grace.AtMilliseconds, grace.Transition));
        Assert.Equal(PresenceTransition.None, DisconnectReply.Read(Reply(0, 0, 0)).Transition);
    }

    [Fact]
    public void Renew_LeaseAndEpoch()
    {
        Assert.Equal(new RenewReply(LeaseStatus.Held, "e1"), RenewReply.Read(Reply(1, "e1")));
        Assert.Equal(new RenewReply(LeaseStatus.Lost, "e1"), RenewReply.Read(Reply(-1, "e1")));
        Assert.Equal(new RenewReply(LeaseStatus.DataLost, "e2"), RenewReply.Read(Reply(-2, "e2")));
    }

    [Fact]
    public void Sweep_ReadsCountsAndUsers()
    {
        var reply = SweepReply.Read(Reply(1, 3, 4, 1, "", "ann", At.ToUnixTimeMilliseconds(), "e", 9, "bob", At.ToUnixTimeMilliseconds(), "d", 10));
        Assert.Equal((true, 3, 4, LeaseStatus.Held, (string?)null), (reply.HasMore, reply.Removed, reply.Processed, reply.Lease, reply.Epoch));
        Assert.Equal([new SweptUser("ann", OfflineReason.Expired, At, 9), new SweptUser("bob", OfflineReason.Disconnected, At, 10)], reply.Users!);
        var lost = SweepReply.Read(Reply(0, 0, 0, -2, "e2"));
        Assert.Equal((LeaseStatus.DataLost, "e2"), (lost.Lease, lost.Epoch));
        Assert.Null(lost.Users);
    }

    [Fact]
    public void Status_EachOutcome()
    {
        Assert.Equal(StatusTransition.Changed(5, At), StatusReply.Read(Reply(0, 5, At.ToUnixTimeMilliseconds())));
        Assert.Equal(StatusTransition.Unchanged, StatusReply.Read(Reply(1, 0, 0)));
        Assert.Equal(StatusTransition.NotOnline, StatusReply.Read(Reply(2, 0, 0)));
    }

    [Fact]
    public void Presence_OnlineAndOffline()
    {
        var reply = PresenceReply.Read(Reply(2, "busy", "", 11, -1, "", At.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), 12, -1, "", "", 0));
        Assert.Equal(new UserPresence("a", true, "busy", null, 2, 11), reply.User(0, "a"));
        Assert.Equal(new UserPresence("b", false, null, At, 0, 12), reply.User(1, "b"));
        Assert.Equal(new UserPresence("c", false, null, null, 0, 0), reply.User(2, "c"));
    }

    [Fact]
    public void Restore_EpochCountAndLate()
    {
        Assert.Equal(new RestoreReply("e3", 17, false), RestoreReply.Read(Reply("e3", 17, 0)));
        Assert.Equal(new RestoreReply("e3", 17, true), RestoreReply.Read(Reply("e3", 17, 1)));
    }

    private static RedisResult Reply(params object[] items) =>
        RedisResult.Create([.. items.Select(item => item switch
        {
            int i => RedisResult.Create((RedisValue)i),
            long l => RedisResult.Create((RedisValue)l),
            string s => RedisResult.Create((RedisValue)s),
            _ => throw new ArgumentException("Unsupported reply item.", nameof(items)),
        })]);
}
