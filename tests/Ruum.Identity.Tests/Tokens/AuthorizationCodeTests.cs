using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Tokens;

public sealed class AuthorizationCodeTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task AuthorizationCode_ThroughLoginPage_IssuesAccessIdAndRefreshTokens()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var nonce = "nonce-" + Guid.NewGuid().ToString("N");

        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password, new Dictionary<string, string?> { ["nonce"] = nonce });

        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("at+jwt", access.Typ);
        Assert.Equal("RS256", access.Alg);
        Assert.Equal(["ruum-api"], access.Audiences);
        Assert.Equal(user.Id.ToString(), access.Subject);
        Assert.Equal(user.Email, access.GetClaim("email").Value);
        var identity = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        Assert.Equal([TestData.SpaClient], identity.Audiences);
        Assert.Equal(nonce, identity.GetClaim("nonce").Value);
        Assert.Equal(_server.BaseAddress.ToString(), identity.Issuer);
        Assert.True(identity.TryGetClaim("auth_time", out _));
        // Password + emailed code (RFC 8176 §2): "pwd" and "mfa"; acr names the emailed code.
        Assert.Equal("[\"pwd\",\"mfa\"]", identity.GetPayloadValue<System.Text.Json.JsonElement>("amr").GetRawText());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        Assert.False(access.TryGetClaim("ruum_security_stamp", out _));
    }

    [Fact]
    public async Task UserInfo_WithAccessToken_ReturnsTheUsersClaims()
    {
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);
        var client = _server.CreatePlainClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());

        var claims = await (await client.GetAsync("connect/userinfo")).JsonAsync();

        Assert.Equal(user.Id.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(user.Email, claims.GetProperty("email").GetString());
        Assert.Equal(user.DisplayName, claims.GetProperty("name").GetString());
    }

    [Fact]
    public async Task UserInfo_WithoutToken_Returns401()
    {
        var response = await _server.CreatePlainClient().GetAsync("connect/userinfo");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("http://localhost:5173/callback/extra")]
    [InlineData("http://localhost:5174/callback")]
    [InlineData("https://localhost:5173/callback")]
    [InlineData("http://localhost:5173/callback/")]
    [InlineData("http://evil.example/callback")]
    public async Task Authorize_UnregisteredRedirectUri_ShowsErrorAndNeverRedirectsThere(string redirectUri)
    {
        var flow = new AuthorizationCodeFlow(_server);
        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["redirect_uri"] = redirectUri }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("This sign-in request is not valid", page, StringComparison.Ordinal);
        Assert.Contains("redirect_uri", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("plain", "the-verifier-itself-is-the-challenge-0123456789abcdef")]
    public async Task Authorize_MissingOrPlainCodeChallenge_IsRefused(string? method, string? challenge)
    {
        var flow = new AuthorizationCodeFlow(_server);
        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?>
        {
            ["code_challenge_method"] = method,
            ["code_challenge"] = challenge,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid_request", page, StringComparison.Ordinal);
        Assert.Contains("code_challenge", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_WrongCodeVerifier_ReturnsInvalidGrant()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password);

        var response = await flow.RedeemAsync(code, Pkce.Create().Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_CodeUsedTwice_FailsAndRevokesTheFirstUsesTokens()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password);
        var first = await (await flow.RedeemAsync(code)).JsonAsync();

        var second = await flow.RedeemAsync(code);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await second.JsonAsync()).GetProperty("error").GetString());
        var refresh = await _server.RefreshAsync(first.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", (await refresh.JsonAsync()).GetProperty("error").GetString());
        var introspection = await _server.IntrospectAsync(first.GetProperty("access_token").GetString()!);
        Assert.False(introspection.GetProperty("active").GetBoolean());
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.TokenReused));
    }

    [Fact]
    public async Task Authorize_PromptNoneWithoutSession_ReturnsLoginRequired()
    {
        var flow = new AuthorizationCodeFlow(_server);
        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("login_required", QueryHelpers.ParseQuery(response.Headers.Location!.Query)["error"].ToString());
    }

    [Fact]
    public async Task Authorize_SecondRequestWithSession_SkipsTheLoginPage()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var again = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" })));

        Assert.NotEmpty(flow.CodeFrom(again));
    }

    [Fact]
    public async Task Authorize_PromptLogin_AsksForThePasswordAgain()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var again = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "login" })));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("/account/login", again.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.NotEmpty(flow.CodeFrom(await flow.FollowAsync(await flow.SignInWithPageAsync(again, user.Email, TestData.Password))));
    }
}
