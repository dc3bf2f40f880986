namespace Presence.Chaos.Scenario;

/// <summary>The <c>presence:subscribe</c> reply: the named users online now, with their versions (docs/protocol.md).</summary>
internal sealed record SubscribeReply(string[] Online, Dictionary<string, string>? Statuses, Dictionary<string, long> Versions);
