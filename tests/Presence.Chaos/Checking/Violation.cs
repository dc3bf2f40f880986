namespace Presence.Chaos.Checking;

/// <summary>
/// One property broken in one history. <see cref="KnownLimit"/> names the documented limit that
/// explains it (docs/protocol.md "Known limits", docs/redis.md "Failures"), or is null for a defect.
/// </summary>
internal sealed record Violation(string Property, string? KnownLimit, string Summary, string Excerpt)
{
    public bool IsDefect => KnownLimit is null;
}
