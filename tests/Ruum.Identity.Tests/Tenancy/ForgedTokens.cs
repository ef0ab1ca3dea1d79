using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>Tokens made by the test with the identity server's own signing key, to vary one thing at a time.</summary>
public static class ForgedTokens
{
    /// <summary>An access token as the server would issue it for the seeded member, signed with the server's key (or <paramref name="key"/>).</summary>
    public static string Forge(TenancyFixture fixture, Action<Dictionary<string, object>> change, SecurityKey? key = null)
    {
        var now = fixture.Api.Clock.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = fixture.Server.BaseAddress.ToString(),
            ["aud"] = "ruum-api",
            ["sub"] = Guid.NewGuid().ToString(),
            ["client_id"] = TestData.SpaClient,
            ["scope"] = "openid ruum.api",
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = Unix(now),
            ["nbf"] = Unix(now),
            ["exp"] = Unix(now.AddMinutes(10)),
            ["company_id"] = fixture.Acme.ToString(),
            ["company_role"] = "member",
            ["project_roles"] = new Dictionary<string, string> { [fixture.TorreNorte] = "editor" },
        };
        change(claims);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key ?? ServerKey(), SecurityAlgorithms.RsaSha256),
        });
    }

    public static RsaSecurityKey ServerKey()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TenancyFixture.SigningKeyPem);
        var key = new RsaSecurityKey(rsa.ExportParameters(true));
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    public static long Unix(DateTimeOffset time) => time.ToUnixTimeSeconds();
}
