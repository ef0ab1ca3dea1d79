using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>
/// Basic credentials of one client and <c>client_id</c> of another in the body (RFC 6749 §2.3) are refused with
/// <c>invalid_request</c> at the token (fast path or not), introspection and revocation endpoints, and nothing is issued
/// or changed.
/// </summary>
public sealed class ConflictingClientIdTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private static readonly (string, string) DevService = ("dev-service", "dev-service-secret");

    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ClientCredentials_BasicOfOneClientBodyOfAnother_IsRefused()
    {
        var response = await _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
            ["client_id"] = TestData.SpaClient,
        }, DevService);

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task Refresh_BasicOfOneClientBodyOfAnother_IsRefusedAndTheTokenStillWorks()
    {
        var (user, tokens) = await SignedInAsync();
        var before = await TokenStatusesAsync(user);

        var response = await _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = TestData.SpaClient,
            ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        }, DevService);

        await AssertRefusedAsync(response);
        Assert.Equal(before, await TokenStatusesAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).StatusCode);
    }

    [Fact]
    public async Task AuthorizationCode_BasicOfOneClientBodyOfAnother_IsRefusedAndTheCodeStillWorks()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password);

        var response = await _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = TestData.SpaClient,
            ["redirect_uri"] = TestData.SpaRedirect,
            ["code"] = code,
            ["code_verifier"] = flow.Pkce.Verifier,
        }, DevService);

        await AssertRefusedAsync(response);
        Assert.Equal(HttpStatusCode.OK, (await flow.RedeemAsync(code)).StatusCode);
    }

    [Fact]
    public async Task Introspection_BasicOfOneClientBodyOfAnother_IsRefused()
    {
        var (_, tokens) = await SignedInAsync();

        var response = await _server.CreatePlainClient().PostFormAsync("connect/introspect", new Dictionary<string, string>
        {
            ["token"] = tokens.GetProperty("access_token").GetString()!,
            ["client_id"] = TestData.SpaClient,
        }, ("ruum-api", "ruum-api-secret"));

        await AssertRefusedAsync(response);
        Assert.False((await response.JsonAsync()).TryGetProperty("active", out _));
    }

    [Fact]
    public async Task Revocation_BasicOfOneClientBodyOfAnother_IsRefusedAndRevokesNothing()
    {
        var (user, tokens) = await SignedInAsync();
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        var before = await TokenStatusesAsync(user);

        var response = await _server.CreatePlainClient().PostFormAsync("connect/revoke", new Dictionary<string, string>
        {
            ["token"] = refresh,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = TestData.SpaClient,
        }, DevService);

        await AssertRefusedAsync(response);
        Assert.Equal(before, await TokenStatusesAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await _server.RefreshAsync(refresh)).StatusCode);
    }

    private async Task<(User User, System.Text.Json.JsonElement Tokens)> SignedInAsync()
    {
        var user = await _server.CreateUserAsync();
        return (user, await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        var json = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", json.GetProperty("error").GetString());
        Assert.False(json.TryGetProperty("access_token", out _));
    }

    private Task<List<string>> TokenStatusesAsync(User user) =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == user.Id.ToString())
            .OrderBy(t => t.Id).Select(t => t.Type + ":" + t.Status).ToListAsync());
}
