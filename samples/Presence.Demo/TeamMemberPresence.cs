namespace Presence.Demo;

/// <summary>One teammate in <see cref="TeamPresence"/>.</summary>
/// <param name="UserId">The teammate.</param>
/// <param name="Online">Whether the teammate is online.</param>
/// <param name="Status">The teammate's status while online (<c>available</c> when none was set); <see langword="null"/> when offline.</param>
/// <param name="LastSeen">When the teammate went offline; <see langword="null"/> while online or when the store no longer remembers.</param>
public sealed record TeamMemberPresence(string UserId, bool Online, string? Status, DateTimeOffset? LastSeen);
