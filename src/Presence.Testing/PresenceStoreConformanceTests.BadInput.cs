using Xunit;

namespace Presence.Testing;

// Bad input fails loudly, names the parameter, and changes nothing.
public abstract partial class PresenceStoreConformanceTests
{
    /// <summary>The kinds of invalid id every method must reject (names, so test names stay printable).</summary>
    public static TheoryData<string> InvalidIdKinds { get; } =
    [
        "null", "empty", "spaces", "unicode-spaces", "too-long", "nul", "newline", "tab", "unit-separator", "delete", "next-line",
        "lone-high-surrogate", "lone-low-surrogate", "reversed-surrogates",
    ];

    /// <summary>Builds an invalid id of the given kind.</summary>
    /// <param name="kind">One of <see cref="InvalidIdKinds"/>.</param>
    /// <returns>The id.</returns>
    protected static string? InvalidId(string kind) => kind switch
    {
        "null" => null,
        "empty" => string.Empty,
        "spaces" => "   ",
        "unicode-spaces" => "\u00A0\u2003",
        "too-long" => new string('x', PresenceId.MaxLength + 1),
        "nul" => "user\u0000x",
        "newline" => "user\nx",
        "tab" => "user\tx",
        "unit-separator" => "user\u001Fx",
        "delete" => "user\u007Fx",
        "next-line" => "user\u0085x",
        "lone-high-surrogate" => "u\uD800",
        "lone-low-surrogate" => "u\uDFFFx",
        "reversed-surrogates" => "u\uDC00\uD800",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown invalid id kind."),
    };

    [Theory]
    [MemberData(nameof(InvalidIdKinds))]
    public async Task AnInvalidUserId_IsRejectedByEveryMethod_AndNothingIsStored(string kind)
    {
        var store = await NewStoreAsync();
        var bad = InvalidId(kind)!;
        var owner = NewUserId("owner");
        var owned = NewConnectionId("owned");
        var fresh = NewConnectionId("fresh");
        await store.AddConnectionAsync(owner, owned);
        var before = await store.GetCountsAsync();

        foreach (var connection in new[] { fresh, owned })
        {
            await AssertRejectedAsync(kind, "userId", () => store.AddConnectionAsync(bad, connection).AsTask());
            await AssertRejectedAsync(kind, "userId", () => store.RefreshConnectionAsync(bad, connection).AsTask());
            await AssertRejectedAsync(kind, "userId", () => store.RemoveConnectionAsync(bad, connection).AsTask());
        }

        await AssertRejectedAsync(kind, "userId", () => store.IsOnlineAsync(bad).AsTask());
        await AssertRejectedAsync(kind, "userId", () => store.GetConnectionCountAsync(bad).AsTask());
        await AssertRejectedAsync(kind, "userIds", () => store.GetOnlineAsync([owner, bad]).AsTask());

        await AssertCountsDeltaAsync(store, before, 0, 0);
        await AssertUserAsync(store, owner, 1);
        Assert.Equal(PresenceChange.None, (await store.RefreshConnectionAsync(owner, owned)).Change);

        // The fresh connection id was never registered to anybody, so a valid user can take it.
        var user = NewUserId("valid");
        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, fresh)).Change);
        await AssertUserAsync(store, user, 1);
    }

    [Theory]
    [MemberData(nameof(InvalidIdKinds))]
    public async Task AnInvalidConnectionId_IsRejectedByEveryMethod_AndNothingIsStored(string kind)
    {
        var store = await NewStoreAsync();
        var bad = InvalidId(kind)!;
        var offline = NewUserId("offline");
        var online = NewUserId("online");
        await store.AddConnectionAsync(online, NewConnectionId("live"));
        var before = await store.GetCountsAsync();

        foreach (var user in new[] { offline, online })
        {
            await AssertRejectedAsync(kind, "connectionId", () => store.AddConnectionAsync(user, bad).AsTask());
            await AssertRejectedAsync(kind, "connectionId", () => store.RefreshConnectionAsync(user, bad).AsTask());
            await AssertRejectedAsync(kind, "connectionId", () => store.RemoveConnectionAsync(user, bad).AsTask());
        }

        await AssertCountsDeltaAsync(store, before, 0, 0);
        await AssertUserAsync(store, offline, 0);
        await AssertUserAsync(store, online, 1);
        Assert.DoesNotContain(offline, await store.GetAllOnlineAsync());
    }

    [Fact]
    public async Task GetOnline_OfANullList_Throws()
    {
        var store = await NewStoreAsync();

        var exception = await Assert.ThrowsAsync<ArgumentNullException>(() => store.GetOnlineAsync(null!).AsTask());

        Assert.Equal("userIds", exception.ParamName);
    }

    [Fact]
    public async Task IdsOfTheMaximumLength_AreAccepted()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("max").PadRight(PresenceId.MaxLength, 'u');
        var connection = NewConnectionId("max").PadRight(PresenceId.MaxLength, 'c');

        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, connection)).Change);
        Assert.Equal(PresenceChange.None, (await store.RefreshConnectionAsync(user, connection)).Change);
        Assert.Equal([user], await store.GetOnlineAsync([user]));
        await AssertUserAsync(store, user, 1);
        Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync(user, connection)).Change);
    }

    [Fact]
    public async Task IdsAreCaseSensitive_AndKeptVerbatim()
    {
        var store = await NewStoreAsync();
        var upper = NewUserId("ALICE");
        var lower = NewUserId("alice");
        var unicode = NewUserId("ünï{cödé}:*?[]\"' ");

        await store.AddConnectionAsync(upper, NewConnectionId("UPPER"));
        await store.AddConnectionAsync(unicode, NewConnectionId("ünï{cödé}:*"));

        await AssertUserAsync(store, upper, 1);
        await AssertUserAsync(store, lower, 0);
        await AssertUserAsync(store, unicode, 1);
        Assert.Equal([unicode, upper], await store.GetOnlineAsync([lower, unicode, upper]));
        Assert.Contains(unicode, await store.GetAllOnlineAsync());
        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(upper, NewConnectionId("upper"))).Change);
    }

    private static async Task AssertRejectedAsync(string kind, string paramName, Func<Task> call)
    {
        ArgumentException exception = kind == "null"
            ? await Assert.ThrowsAsync<ArgumentNullException>(call)
            : await Assert.ThrowsAsync<ArgumentException>(call);
        Assert.Equal(paramName, exception.ParamName);
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
    }
}
