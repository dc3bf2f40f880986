using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Presence.Demo;

/// <summary>Issues and validates the demo's JWTs. DEV ONLY: the signing key is public, in this file.</summary>
internal static class DevTokens
{
    public const string Issuer = "presence-demo";
    public const string Audience = "presence-demo";
    public const string TeamClaim = "team";
    public const string DefaultTeam = "lobby";

    public static SymmetricSecurityKey SigningKey { get; } =
        new(Encoding.UTF8.GetBytes("presence-demo-DEV-ONLY-signing-key-never-use-in-production"));

    public static string Issue(string userId, string team, DateTimeOffset now) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            // "sub" arrives as ClaimTypes.NameIdentifier, which SignalR's default IUserIdProvider reads.
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(TeamClaim, team)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddHours(12).UtcDateTime,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });

    public static TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = SigningKey,
    };
}
