namespace Presence.Core.Tests;

public sealed class PresenceVisibilityTests
{
    [Fact]
    public void Everyone_SeesEveryone()
    {
        Assert.True(PresenceVisibility.Everyone.IsEveryone);
        Assert.Empty(PresenceVisibility.Everyone.UserIds);
    }

    [Fact]
    public void Nobody_SeesNobody()
    {
        Assert.False(PresenceVisibility.Nobody.IsEveryone);
        Assert.Empty(PresenceVisibility.Nobody.UserIds);
    }

    [Fact]
    public void ForUsers_KeepsOrder_DropsDuplicatesAndInvalidIds()
    {
        var visibility = PresenceVisibility.ForUsers(["carol", "alice", "carol", "", null!, "\u0085", new string('y', 300)]);

        Assert.Equal(["carol", "alice"], visibility.UserIds);
        Assert.False(visibility.IsEveryone);
    }

    [Fact]
    public void AVisibilityOfNobody_IsNobody()
    {
        Assert.Same(PresenceVisibility.Nobody, PresenceVisibility.ForUsers([]));
        Assert.Same(PresenceVisibility.Nobody, PresenceVisibility.ForUsers([" "]));
    }

    [Fact]
    public void ANullList_IsRejected() =>
        Assert.Equal("userIds", Assert.Throws<ArgumentNullException>(() => PresenceVisibility.ForUsers(null!)).ParamName);
}
