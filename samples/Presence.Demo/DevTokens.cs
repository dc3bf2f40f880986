using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Presence.Demo;

/// <summary>
/// Issues and validates the demo's JWTs. <see cref="DevelopmentSigningKey"/> is public (it is in this
/// file), so it signs tokens only in Development; elsewhere the key comes from
/// <see cref="DemoApplication.SigningKeyKey"/> and the dev sign-in endpoint does not exist.
/// </summary>
internal static class DevTokens
{
    public const string Issuer = "presence-demo";
    public const string Audience = "presence-demo";
    public const string TeamClaim = "team";
    public const string DefaultTeam = "lobby";

    /// <summary>The key Development uses when none is configured. Anyone can mint tokens with it.</summary>
    public const string DevelopmentSigningKey = "presence-demo-DEV-ONLY-signing-key-never-use-in-production";

    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    public static string Issue(SymmetricSecurityKey signingKey, string userId, string team, DateTimeOffset now) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            // "sub" arrives as ClaimTypes.NameIdentifier, which SignalR's default IUserIdProvider reads.
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(TeamClaim, team)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddHours(12).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.HmacSha256),
        });

    public static TokenValidationParameters ValidationParameters(SymmetricSecurityKey signingKey) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = signingKey,
    };

    /// <summary>
    /// The signing key for <paramref name="environment"/>: the configured one, or in Development the
    /// public dev key. Outside Development a missing, short or public key stops the app at start-up.
    /// </summary>
    public static SymmetricSecurityKey SigningKeyFor(IHostEnvironment environment, string? configured)
    {
        var isDevelopment = environment.IsDevelopment();
        var key = string.IsNullOrEmpty(configured) && isDevelopment ? DevelopmentSigningKey : configured;
        if (!isDevelopment && (string.IsNullOrEmpty(key) || string.Equals(key, DevelopmentSigningKey, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                $"The demo runs in the '{environment.EnvironmentName}' environment, where its public development signing key is refused "
                + "(anyone could sign in as anyone). Set " + DemoApplication.SigningKeyKey + " (Demo__SigningKey in the environment) "
                + $"to a secret of at least {MinimumKeyBytes} bytes, or run in Development (ASPNETCORE_ENVIRONMENT=Development) for the dev sign-in.");
        }

        var bytes = Encoding.UTF8.GetBytes(key!);
        if (bytes.Length < MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"{DemoApplication.SigningKeyKey} is {bytes.Length} bytes long; HS256 needs at least {MinimumKeyBytes}.");
        }

        return new SymmetricSecurityKey(bytes);
    }
}
