using Microsoft.IdentityModel.Tokens;

namespace Presence.Demo;

/// <summary>The key the demo's JWTs are signed and validated with, chosen once at start-up (<see cref="DevTokens.SigningKeyFor"/>).</summary>
/// <param name="Key">The HS256 key.</param>
internal sealed record DemoSigningKey(SymmetricSecurityKey Key);
