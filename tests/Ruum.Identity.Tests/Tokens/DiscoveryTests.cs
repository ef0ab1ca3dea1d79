using System.Net;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

public sealed class DiscoveryTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Discovery_Always_AdvertisesEndpointsGrantsAndS256Only()
    {
        var document = await (await _server.CreatePlainClient().GetAsync(".well-known/openid-configuration")).JsonAsync();

        Assert.Equal(_server.BaseAddress.ToString(), document.GetProperty("issuer").GetString());
        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "introspection_endpoint",
                     "revocation_endpoint", "end_session_endpoint", "jwks_uri" })
        {
            Assert.StartsWith(_server.BaseAddress.ToString(), document.GetProperty(endpoint).GetString(), StringComparison.Ordinal);
        }
        var grants = document.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "authorization_code", "refresh_token", "client_credentials" }, grants);
        Assert.Equal(["S256"], document.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.DoesNotContain("token", document.GetProperty("response_types_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("RS256", document.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(m => m.GetString()));
        var claims = document.GetProperty("claims_supported").EnumerateArray().Select(c => c.GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "sub", "amr", "acr", "auth_time", "company_id", "project_roles" }, claims);
    }

    [Fact]
    public async Task Discovery_Always_AdvertisesTheSecondFactorAcrValue()
    {
        var document = await (await _server.CreatePlainClient().GetAsync(".well-known/openid-configuration")).JsonAsync();

        Assert.Equal(["urn:ruum:acr:mfa"], document.GetProperty("acr_values_supported").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Jwks_Always_PublishesOnlyPublicRsaSigningKeys()
    {
        var response = await _server.CreatePlainClient().GetAsync(".well-known/jwks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jwks = new JsonWebKeySet(await response.Content.ReadAsStringAsync());

        var key = Assert.Single(jwks.Keys);
        Assert.Equal("RSA", key.Kty);
        Assert.Equal("sig", key.Use);
        Assert.False(string.IsNullOrEmpty(key.Kid));
        Assert.Null(key.D);
        Assert.Null(key.P);
    }

    [Fact]
    public async Task Jwks_AskedAgain_PublishesTheSameKeysOnce()
    {
        var client = _server.CreatePlainClient();
        var first = await client.GetStringAsync(".well-known/jwks");
        var second = await client.GetStringAsync(".well-known/jwks");

        Assert.Equal(first, second);
        Assert.Single(new JsonWebKeySet(second).Keys);
    }
}
