namespace Presence.Chaos.Scenario;

/// <summary>The argument of <c>presence:subscribe</c> and <c>presence:unsubscribe</c>.</summary>
internal sealed record SubscriptionRequest(string[] UserIds);
