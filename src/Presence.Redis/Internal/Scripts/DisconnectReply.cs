using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The reply of <see cref="RedisScripts.Disconnect"/>: <c>{outcome, version, disconnect time ms}</c>.</summary>
/// <param name="Outcome">What the disconnect decided.</param>
/// <param name="Version">The user's new version when <see cref="DisconnectOutcome.WentOffline"/>, else 0.</param>
/// <param name="AtMilliseconds">The disconnect's Redis time in milliseconds; 0 when nothing changed.</param>
internal readonly record struct DisconnectReply(DisconnectOutcome Outcome, long Version, long AtMilliseconds)
{
    public PresenceTransition Transition => Outcome == DisconnectOutcome.WentOffline
        ? PresenceTransition.WentOffline(Version, DateTimeOffset.FromUnixTimeMilliseconds(AtMilliseconds))
        : PresenceTransition.None;

    public static DisconnectReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return new DisconnectReply((DisconnectOutcome)(int)items[0], (long)items[1], (long)items[2]);
    }
}
