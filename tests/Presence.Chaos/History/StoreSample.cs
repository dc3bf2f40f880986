namespace Presence.Chaos.History;

/// <summary>The store's answer for one user through a node's HTTP endpoint, when it answered.</summary>
internal sealed record StoreSample(string UserId, bool Online, double At, string Node);
