namespace Presence.Core.Tests;

public sealed class PresenceAudienceTests
{
    [Fact]
    public void Everyone_HearsEverything()
    {
        var everyone = PresenceAudience.Everyone;

        Assert.True(everyone.IsEveryone);
        Assert.False(everyone.IsEmpty);
        Assert.Empty(everyone.UserIds);
        Assert.Empty(everyone.Groups);
    }

    [Fact]
    public void Nobody_IsEmpty()
    {
        Assert.False(PresenceAudience.Nobody.IsEveryone);
        Assert.True(PresenceAudience.Nobody.IsEmpty);
    }

    [Fact]
    public void ForUsers_KeepsOrder_DropsDuplicatesAndInvalidIds()
    {
        var audience = PresenceAudience.ForUsers(["bob", "alice", "bob", "", "  ", null!, "x\ny", new string('x', 257), "Alice"]);

        Assert.Equal(["bob", "alice", "Alice"], audience.UserIds);
        Assert.Empty(audience.Groups);
        Assert.False(audience.IsEveryone);
        Assert.False(audience.IsEmpty);
    }

    [Fact]
    public void ForGroups_KeepsOrder_AndDropsDuplicates()
    {
        var audience = PresenceAudience.ForGroups(["team-b", "team-a", "team-b"]);

        Assert.Equal(["team-b", "team-a"], audience.Groups);
        Assert.Empty(audience.UserIds);
        Assert.False(audience.IsEmpty);
    }

    [Fact]
    public void For_CombinesUsersAndGroups()
    {
        var audience = PresenceAudience.For(["alice"], ["room-1"]);

        Assert.Equal(["alice"], audience.UserIds);
        Assert.Equal(["room-1"], audience.Groups);
    }

    [Fact]
    public void AnAudienceOfNobody_IsNobody()
    {
        Assert.Same(PresenceAudience.Nobody, PresenceAudience.ForUsers([]));
        Assert.Same(PresenceAudience.Nobody, PresenceAudience.ForUsers(["", "\u0001"]));
        Assert.Same(PresenceAudience.Nobody, PresenceAudience.ForGroups([]));
        Assert.Same(PresenceAudience.Nobody, PresenceAudience.For(null, null));
        Assert.Same(PresenceAudience.Nobody, PresenceAudience.For([], []));
    }

    [Fact]
    public void ANullList_IsRejected()
    {
        Assert.Equal("userIds", Assert.Throws<ArgumentNullException>(() => PresenceAudience.ForUsers(null!)).ParamName);
        Assert.Equal("groups", Assert.Throws<ArgumentNullException>(() => PresenceAudience.ForGroups(null!)).ParamName);
    }

    [Fact]
    public void TheInputIsCopied()
    {
        var users = new List<string> { "alice" };
        var audience = PresenceAudience.ForUsers(users);

        users.Add("mallory");

        Assert.Equal(["alice"], audience.UserIds);
    }
}
