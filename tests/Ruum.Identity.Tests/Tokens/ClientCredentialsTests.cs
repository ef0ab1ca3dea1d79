using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

public sealed class ClientCredentialsTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ClientCredentials_ValidSecret_IssuesJwtAnyLibraryValidatesFromJwks()
    {
        var response = await _server.ClientCredentialsAsync();
        var token = response.GetProperty("access_token").GetString()!;
        Assert.Equal("Bearer", response.GetProperty("token_type").GetString());

        var jwks = new JsonWebKeySet(await _server.CreatePlainClient().GetStringAsync(".well-known/jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _server.BaseAddress.ToString(),
            ValidAudience = "ruum-api",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["RS256"],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (notBefore, expires, _, _) => expires > _server.Clock.GetUtcNow().UtcDateTime,
        });

        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("dev-service", jwt.Subject);
        Assert.Equal("ruum.api", jwt.GetClaim("scope").Value);
        Assert.Equal(TimeSpan.FromMinutes(10), jwt.ValidTo - jwt.IssuedAt);
        Assert.Equal(3, token.Split('.').Length); // a JWS; an encrypted JWE would have five parts
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_Returns401InvalidClient()
    {
        var before = await Snapshot.TakeAsync(_server);
        var response = await _server.CreatePlainClient().PostFormAsync("connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "ruum.api" },
            ("dev-service", "not-the-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    [Theory]
    [InlineData("urn:example:unknown")]
    [InlineData("password")]
    [InlineData("implicit")]
    public async Task TokenEndpoint_UnsupportedGrant_ReturnsUnsupportedGrantType(string grantType)
    {
        var response = await _server.CreatePlainClient().PostFormAsync("connect/token",
            new Dictionary<string, string> { ["grant_type"] = grantType, ["username"] = "owner@ruum.test", ["password"] = "x" },
            ("dev-service", "dev-service-secret"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("ruum.unknown", "invalid_scope")]
    [InlineData("email", "invalid_request")] // a known scope this client may not use (OpenIddict's ID2051)
    public async Task ClientCredentials_ScopeNotAllowed_IsRefused(string scope, string error)
    {
        var response = await _server.CreatePlainClient().PostFormAsync("connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope },
            ("dev-service", "dev-service-secret"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.JsonAsync()).GetProperty("error").GetString());
    }
}
