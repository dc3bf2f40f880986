using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Presence.NaivePeer;

/// <summary>Dev-only JWTs like the demo's: <c>sub</c> is the user, <c>team</c> the team. The key is public; loopback benchmarks only.</summary>
internal static class PeerTokens
{
    public const string TeamClaim = "team";

    private const string Issuer = "presence-naive-peer";
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("presence-naive-peer-DEV-ONLY-key-for-benchmarks"));

    public static string Issue(string userId, string team) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(TeamClaim, team)]),
            Expires = DateTime.UtcNow.AddHours(12),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });

    public static TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Issuer,
        IssuerSigningKey = Key,
    };
}
