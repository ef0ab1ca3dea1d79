using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Clients;

/// <summary>private_key_jwt (RFC 7523 §2.2, OIDC Core §9): the client proves itself with a JWT signed by its own key.</summary>
public sealed class PrivateKeyJwtTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Discovery_Always_AdvertisesPrivateKeyJwt()
    {
        var document = await (await _server.CreatePlainClient().GetAsync(".well-known/openid-configuration")).JsonAsync();

        Assert.Contains("private_key_jwt", document.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray()
            .Select(m => m.GetString()));
    }

    [Fact]
    public async Task ClientCredentials_AssertionSignedWithRegisteredKey_IssuesToken()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientId = await _server.CreateKeyAuthenticatedClientAsync(PublicKeySet(key));

        var response = await RequestTokenAsync(Assertion(clientId, key));

        var body = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task ClientCredentials_AssertionSignedWithAnotherKey_IsInvalidClient()
    {
        using var registered = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientId = await _server.CreateKeyAuthenticatedClientAsync(PublicKeySet(registered));

        var response = await RequestTokenAsync(Assertion(clientId, other));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    private Task<HttpResponseMessage> RequestTokenAsync(string assertion) =>
        _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        });

    private string Assertion(string clientId, ECDsa key)
    {
        var now = _server.Clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            // The explicit type (draft-ietf-oauth-rfc7523bis) keeps an assertion from passing as any other JWT.
            TokenType = "client-authentication+jwt",
            Issuer = clientId,
            // rfc7523bis: the audience is the issuer identifier alone, never an endpoint URL.
            Audience = _server.BaseAddress.ToString(),
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(2),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static JsonWebKeySet PublicKeySet(ECDsa key)
    {
        using var publicKey = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(publicKey));
        jwk.Use = "sig";
        var set = new JsonWebKeySet();
        set.Keys.Add(jwk);
        return set;
    }
}
