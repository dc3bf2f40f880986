using Xunit;

namespace Presence.Testing;

// GetPresenceAsync: everything about many users in one call.
public abstract partial class PresenceStoreConformanceTests
{
    [Fact]
    public async Task GetPresence_DescribesEachDistinctUser_InFirstOrderOfAppearance()
    {
        var store = await NewGraceStoreAsync();
        var busy = NewUserId("busy");
        var reloading = NewUserId("reloading");
        var gone = NewUserId("gone");
        var stranger = NewUserId("stranger");
        await store.AddConnectionAsync(busy, NewConnectionId("b1"));
        await store.AddConnectionAsync(busy, NewConnectionId("b2"));
        await store.SetStatusAsync(busy, PresenceStatus.Busy);
        var goneAt = await ConnectThenDisconnectAsync(store, gone, NewConnectionId("g"));
        await AdvanceAsync(Grace);
        await SweepAllAsync(store);
        await store.AddConnectionAsync(reloading, NewConnectionId("r"));
        await store.SetStatusAsync(reloading, "on a call");
        await store.RemoveConnectionAsync(reloading, NewConnectionId("r"));

        var presence = await store.GetPresenceAsync([stranger, busy, gone, stranger, reloading, busy]);

        Assert.Equal(
            [
                new UserPresence(stranger, false, null, null, 0, 0),
                new UserPresence(busy, true, PresenceStatus.Busy, null, 2, 0),
                new UserPresence(gone, false, null, goneAt, 0, 0),
                new UserPresence(reloading, true, "on a call", null, 0, 0),
            ],
            presence.Select(static p => p with { Version = 0 }));
    }

    [Fact]
    public async Task GetPresence_OfNoUsers_IsEmpty()
    {
        var store = await NewStoreAsync();

        Assert.Empty(await store.GetPresenceAsync([]));
    }

    [Fact]
    public async Task GetPresence_OfManyUsers_AgreesWithTheSingleUserReads()
    {
        var store = await NewStoreAsync();
        var users = Enumerable.Range(0, 50).Select(i => NewUserId($"u{i}")).ToArray();
        for (var i = 0; i < users.Length; i += 3)
        {
            for (var c = 0; c <= i % 4; c++)
            {
                await store.AddConnectionAsync(users[i], NewConnectionId($"c{i}-{c}"));
            }
        }

        var presence = await store.GetPresenceAsync(users);

        Assert.Equal(users, presence.Select(p => p.UserId));
        for (var i = 0; i < users.Length; i++)
        {
            Assert.Equal(i % 3 == 0, presence[i].IsOnline);
            Assert.Equal(i % 3 == 0 ? (i % 4) + 1 : 0, presence[i].ConnectionCount);
            Assert.Equal(await store.GetConnectionCountAsync(users[i]), presence[i].ConnectionCount);
        }
    }

    [Fact]
    public async Task GetPresence_OfANullList_Throws()
    {
        var store = await NewStoreAsync();

        var exception = await Assert.ThrowsAsync<ArgumentNullException>(() => store.GetPresenceAsync(null!).AsTask());

        Assert.Equal("userIds", exception.ParamName);
    }

    [Theory]
    [MemberData(nameof(InvalidIdKinds))]
    public async Task GetPresence_WithAnInvalidId_Throws_NamingUserIds(string kind)
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("tab"));

        await AssertRejectedAsync(kind, "userIds", () => store.GetPresenceAsync([user, InvalidId(kind)!]).AsTask());

        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
    }
}
