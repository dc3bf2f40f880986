using System.Text;
using Presence.Redis.Internal;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// A connection's sorted-set member: the user id as it is, then a short connection id as it is or a
/// long one as 16 bytes of its SHA-256. The sweep reads the user back up to the first separator.
/// </summary>
public sealed class MemberEncodingTests
{
    [Theory]
    [InlineData("c1")]
    [InlineData("fifteen-bytes!!")]
    [InlineData("用户")]
    public void AShortConnectionId_IsKeptAsItIs(string connectionId)
    {
        var member = (byte[])RedisPresenceKeys.Member("user-1", connectionId)!;

        Assert.Equal("user-1\n" + connectionId, Encoding.UTF8.GetString(member));
    }

    [Theory]
    [InlineData("user-0000001", "aB3dE5fG7hI9jK1lM3nO5p")]
    [InlineData("sweep-user-0000001", "sixteen-bytes!!!")]
    [InlineData("用户", "emoji-😀-connection-id")]
    public void ALongConnectionId_Becomes16Bytes_AndTheUserReadsBackUpToTheFirstSeparator(string userId, string connectionId)
    {
        var member = (byte[])RedisPresenceKeys.Member(userId, connectionId)!;
        var userBytes = Encoding.UTF8.GetByteCount(userId);

        Assert.Equal(userBytes + 1 + RedisPresenceKeys.HashedConnectionLength, member.Length);
        Assert.Equal(userBytes, Array.IndexOf(member, (byte)'\n'));
        Assert.Equal(userId, Encoding.UTF8.GetString(member, 0, userBytes));
        Assert.Equal(member, (byte[])RedisPresenceKeys.Member(userId, connectionId)!);
    }

    [Fact]
    public void ConnectionsOfOneUser_KeepDistinctMembers_EvenWhenTheirIdsDifferOnlyAtTheEnd()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => $"connection-id-with-a-common-prefix-{i}")
            .Concat(Enumerable.Range(0, 100).Select(i => $"c{i}"))
            .ToList();

        var members = ids.Select(id => Convert.ToHexString((byte[])RedisPresenceKeys.Member("u", id)!)).ToHashSet();

        Assert.Equal(ids.Count, members.Count);
    }
}
