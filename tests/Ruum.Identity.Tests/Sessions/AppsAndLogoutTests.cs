using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Sessions;

/// <summary>RP-initiated logout and /account/apps revoke refresh tokens: the right ones, and only those.</summary>
public sealed class AppsAndLogoutTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Redirect = "https://app.example/callback";
    private const string AfterLogout = "https://app.example/signed-out";
    private readonly RuumServer _server = fixture.Server;

    private async Task<AuthorizationCodeFlow> FlowAsync(AuthorizationCodeFlow? sameBrowser = null, string? clientId = null)
    {
        var flow = new AuthorizationCodeFlow(_server)
        {
            ClientId = clientId ?? await _server.CreatePublicClientAsync(Redirect, postLogoutRedirectUri: AfterLogout),
            RedirectUri = Redirect,
        };
        if (sameBrowser is not null)
        {
            flow.Cookies.Add(sameBrowser.Cookies.GetAllCookies());
        }
        return flow;
    }

    [Fact]
    public async Task EndSession_WithIdTokenHint_RevokesThatClientsRefreshTokensOfThisSessionOnly()
    {
        var user = await _server.CreateUserAsync();
        var app = await FlowAsync();
        var appTokens = await app.GetTokensAsync(user.Email, TestData.Password);
        // The same browser signed into another client; another browser signed into the same client.
        var otherApp = await FlowAsync(sameBrowser: app);
        var code = otherApp.CodeFrom(await otherApp.FollowAsync(await otherApp.Browser.GetAsync(otherApp.AuthorizeUrl())));
        var otherAppTokens = await (await otherApp.RedeemAsync(code)).JsonAsync();
        var otherBrowser = await FlowAsync(clientId: app.ClientId);
        var otherBrowserTokens = await otherBrowser.GetTokensAsync(user.Email, TestData.Password);

        var response = await app.Browser.GetAsync(QueryHelpers.AddQueryString("connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = appTokens.GetProperty("id_token").GetString(),
            ["post_logout_redirect_uri"] = AfterLogout,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("invalid_grant", await _server.RefreshErrorAsync(appTokens.GetProperty("refresh_token").GetString()!, app.ClientId));
        Assert.Null(await _server.RefreshErrorAsync(otherAppTokens.GetProperty("refresh_token").GetString()!, otherApp.ClientId));
        Assert.Null(await _server.RefreshErrorAsync(otherBrowserTokens.GetProperty("refresh_token").GetString()!, app.ClientId));
    }

    [Fact]
    public async Task EndSession_RefreshedTokenOfTheSession_IsRevokedToo()
    {
        var user = await _server.CreateUserAsync();
        var app = await FlowAsync();
        var tokens = await app.GetTokensAsync(user.Email, TestData.Password);
        var refreshed = await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!, app.ClientId)).JsonAsync();

        await app.Browser.GetAsync(QueryHelpers.AddQueryString("connect/endsession", "id_token_hint", tokens.GetProperty("id_token").GetString()!));

        Assert.Equal("invalid_grant", await _server.RefreshErrorAsync(refreshed.GetProperty("refresh_token").GetString()!, app.ClientId));
    }

    [Fact]
    public async Task AppsPage_Revoke_EndsTheClientsTokensAndAudits()
    {
        var user = await _server.CreateUserAsync();
        var app = await FlowAsync();
        var tokens = await app.GetTokensAsync(user.Email, TestData.Password);
        var page = await (await app.Browser.GetAsync("account/apps")).TextAsync();
        Assert.Contains($"data-client-id=\"{app.ClientId}\"", page, StringComparison.Ordinal);

        var response = await app.PostAsync("account/apps", "Revoke", new Dictionary<string, string> { ["clientId"] = app.ClientId });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain($"data-client-id=\"{app.ClientId}\"", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal("invalid_grant", await _server.RefreshErrorAsync(tokens.GetProperty("refresh_token").GetString()!, app.ClientId));
        Assert.False(await _server.IsActiveAsync(tokens.GetProperty("access_token").GetString()!));
        Assert.Equal(app.ClientId, Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.ConsentRevoked)).ClientId);
    }

    [Fact]
    public async Task AppsPage_RevokeAClientTheUserNeverUsed_ChangesNothing()
    {
        var user = await _server.CreateUserAsync();
        var app = await FlowAsync();
        var tokens = await app.GetTokensAsync(user.Email, TestData.Password);
        var stranger = await _server.CreateUserAsync();
        var strangerApp = await FlowAsync();
        var strangerTokens = await strangerApp.GetTokensAsync(stranger.Email, TestData.Password);

        var response = await app.PostAsync("account/apps", "Revoke", new Dictionary<string, string> { ["clientId"] = strangerApp.ClientId });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("That application was not found.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Null(await _server.RefreshErrorAsync(strangerTokens.GetProperty("refresh_token").GetString()!, strangerApp.ClientId));
        Assert.Null(await _server.RefreshErrorAsync(tokens.GetProperty("refresh_token").GetString()!, app.ClientId));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.ConsentRevoked));
    }
}
