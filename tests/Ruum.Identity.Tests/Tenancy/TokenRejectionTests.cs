using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>
/// Every bad token the issue names, sent to the sample API as an update of a project: 401 with a Bearer challenge,
/// and the project unchanged. Forged tokens are signed with the server's real key unless the defect is the key.
/// </summary>
public sealed class TokenRejectionTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private readonly SampleApiServer _api = fixture.Api;

    public static TheoryData<string> BadTokens() =>
    [
        "expired", "not-yet-valid", "not-before-in-future", "other-audience", "other-issuer", "unknown-key", "alg-none",
        "signature-of-another-token", "hs256-with-public-key", "tampered-project-roles", "header-not-json", "kid-not-a-string",
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Update_BadToken_Is401WithChallengeAndChangesNothing(string defect)
    {
        var token = await BadTokenAsync(defect);

        var response = await _api.Client(token).PutAsJsonAsync($"projects/{fixture.TorreNorte}", new { name = "Hijacked" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("Torre Norte", _api.Store.Find(fixture.TorreNorte)!.Name);
        Assert.False(ValidatedTokenCacheTests.Cache(_api).Remembers(token));
    }

    [Fact]
    public async Task Update_ForgedTokenWithNoDefect_IsAccepted()
    {
        // The control for the forgeries above: with nothing wrong, the same recipe passes.
        var response = await _api.Client(ForgedTokens.Forge(fixture, _ => { })).GetAsync($"projects/{fixture.TorreNorte}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> BadTokenAsync(string defect)
    {
        var now = _api.Clock.GetUtcNow();
        switch (defect)
        {
            case "expired":
                return ForgedTokens.Forge(fixture, c => (c["iat"], c["nbf"], c["exp"]) = (ForgedTokens.Unix(now.AddMinutes(-11)), ForgedTokens.Unix(now.AddMinutes(-11)), ForgedTokens.Unix(now.AddMinutes(-1))));
            case "not-yet-valid":
                return ForgedTokens.Forge(fixture, c => (c["iat"], c["nbf"], c["exp"]) = (ForgedTokens.Unix(now.AddMinutes(10)), ForgedTokens.Unix(now.AddMinutes(10)), ForgedTokens.Unix(now.AddMinutes(20))));
            case "not-before-in-future":
                return ForgedTokens.Forge(fixture, c => c["nbf"] = ForgedTokens.Unix(now.AddMinutes(10)));
            case "other-audience":
                return ForgedTokens.Forge(fixture, c => c["aud"] = "other-api");
            case "other-issuer":
                return ForgedTokens.Forge(fixture, c => c["iss"] = "https://evil.example/");
            case "unknown-key":
                using (var rsa = RSA.Create(2048))
                {
                    var key = new RsaSecurityKey(rsa.ExportParameters(true));
                    key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
                    return ForgedTokens.Forge(fixture, _ => { }, key);
                }
        }

        var real = await fixture.AccessTokenForAsync(DevelopmentSeed.MemberEmail);
        var parts = real.Split('.');
        switch (defect)
        {
            case "alg-none":
                return $"{Jwt.Encode($$"""{"alg":"none","typ":"at+jwt","kid":"{{ForgedTokens.ServerKey().KeyId}}"}""")}.{parts[1]}.";
            case "signature-of-another-token":
                var other = (await fixture.AccessTokenForAsync(DevelopmentSeed.OwnerEmail)).Split('.');
                return $"{parts[0]}.{parts[1]}.{other[2]}";
            case "hs256-with-public-key":
                var header = Jwt.Encode($$"""{"alg":"HS256","typ":"at+jwt","kid":"{{ForgedTokens.ServerKey().KeyId}}"}""");
                using (var rsa = RSA.Create())
                {
                    rsa.ImportFromPem(TenancyFixture.SigningKeyPem);
                    var secret = Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem());
                    var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
                    return $"{header}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
                }
            case "tampered-project-roles":
                var payload = JsonNode.Parse(Jwt.Payload(real).GetRawText())!;
                payload["project_roles"]![fixture.TorreNorte] = "manager";
                return $"{parts[0]}.{Jwt.Encode(payload.ToJsonString())}.{parts[2]}";
            case "header-not-json":
                return $"{Jwt.Encode("not json")}.{parts[1]}.{parts[2]}";
            case "kid-not-a-string":
                return $"{Jwt.Encode("""{"alg":"RS256","typ":"at+jwt","kid":42}""")}.{parts[1]}.{parts[2]}";
            default:
                throw new ArgumentOutOfRangeException(nameof(defect), defect, null);
        }
    }
}
