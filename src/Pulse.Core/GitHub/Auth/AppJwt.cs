using System.Globalization;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Pulse.Core.GitHub.Auth;

/// <summary>
/// The JWT a GitHub App signs in with (GitHub's docs): RS256 under the App's private key, <c>iat</c> 60 s in the past
/// (clock drift), <c>exp</c> at most 10 minutes after <c>iat</c>, <c>iss</c> the App id.
/// </summary>
public static class AppJwt
{
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public static string Mint(long appId, RSA key, DateTimeOffset now)
    {
        var issuedAt = now - Backdate;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = appId.ToString(CultureInfo.InvariantCulture),
            IssuedAt = issuedAt.UtcDateTime,
            Expires = (issuedAt + Lifetime).UtcDateTime,
            // Uncached: the library caches signers by key id, and a cached signer outlives the RSA object it was made from.
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256)
            {
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
        });
    }
}
