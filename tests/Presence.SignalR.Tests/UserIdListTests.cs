using Xunit;
using Presence.SignalR.Internal;

namespace Presence.SignalR.Tests;

public sealed class UserIdListTests
{
    [Fact]
    public void LongAudiences_AnswerContainsThroughTheHashSet_AsSignalRsLinqContainsCallsIt()
    {
        string[] ids = [.. Enumerable.Range(0, 100).Select(i => $"user-{i}")];

        var list = UserIdList.For(ids);

        Assert.IsAssignableFrom<ICollection<string>>(list);
        var hits = new[] { "user-42", "user-420" }.Select(id => ((ICollection<string>)list).Contains(id)).ToArray();
        Assert.Equal([true, false], hits);
        Assert.DoesNotContain(null!, list);
        Assert.Equal(ids, list);
        Assert.Equal(100, list.Count);
        Assert.Equal("user-7", list[7]);
    }

    [Fact]
    public void ShortAudiences_AreLeftAsTheyAre()
    {
        string[] ids = ["alice", "bob"];
        Assert.Same(ids, UserIdList.For(ids));
    }
}
