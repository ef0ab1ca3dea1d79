using System.Net;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;
using Ruum.Identity.Tests.Password;

namespace Ruum.Identity.Tests.Sessions;

/// <summary>Server-side sessions: one row per signed-in browser, ended by the user, by time or everywhere at once.</summary>
public sealed class BrowserSessionTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<(Features.Users.User User, AuthorizationCodeFlow Flow, System.Text.Json.JsonElement Tokens)> SignedInAsync()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);
        return (user, flow, tokens);
    }

    [Fact]
    public async Task SignIn_OneBrowser_IsOneRowWithDeviceAmrAndClient()
    {
        var (user, flow, _) = await SignedInAsync();

        var session = Assert.Single(await _server.SessionsOfAsync(user.Id));
        Assert.Equal("127.0.0.1", session.IpAddress);
        Assert.Equal("pwd mfa", session.Methods);
        Assert.Equal([TestData.SpaClient], session.Clients);
        var html = await (await flow.Browser.GetAsync("account/sessions")).TextAsync();
        Assert.Contains("(this browser)", html, StringComparison.Ordinal);
        Assert.Contains(TestData.SpaClient, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInAgain_InTheSameBrowser_KeepsOneRow()
    {
        var (user, flow, _) = await SignedInAsync();
        var first = Assert.Single(await _server.SessionsOfAsync(user.Id));

        // A credential change signs this browser in again under the new stamp; prompt=login is a whole new sign-in.
        Assert.Equal(HttpStatusCode.OK, (await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword)).StatusCode);
        Assert.Equal(first.Id, Assert.Single(await _server.SessionsOfAsync(user.Id)).Id);
        _server.Clock.Advance(TimeSpan.FromSeconds(2));
        await flow.GetCodeAsync(user.Email, PasswordPage.NewPassword, new Dictionary<string, string?> { ["prompt"] = "login" });

        var after = Assert.Single(await _server.SessionsOfAsync(user.Id));
        Assert.Equal(first.Id, after.Id);
        Assert.Equal([TestData.SpaClient], after.Clients);
        Assert.True(after.CreatedAt > first.CreatedAt, "A new authentication restarts the absolute lifetime.");
        Assert.True(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task EndSession_AnotherUsersSessionId_EndsNothing()
    {
        var (user, flow, _) = await SignedInAsync();
        var (victim, victimFlow, _) = await SignedInAsync();
        var victimSession = Assert.Single(await _server.SessionsOfAsync(victim.Id));

        var response = await flow.PostAsync("account/sessions", "End", new Dictionary<string, string> { ["id"] = victimSession.Id.ToString() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("That session was not found.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Single(await _server.SessionsOfAsync(victim.Id));
        Assert.True(await victimFlow.IsSignedInAsync());
        Assert.Single(await _server.SessionsOfAsync(user.Id));
        Assert.Empty(await _server.AuditOfAsync(victim.Id, AuditEventTypes.SessionEnded));
    }

    [Fact]
    public async Task EndSession_AnotherOfTheUsersBrowsers_SignsItOutAndRevokesItsRefreshTokens()
    {
        var (user, flow, _) = await SignedInAsync();
        var mine = Assert.Single(await _server.SessionsOfAsync(user.Id));
        var other = new AuthorizationCodeFlow(_server);
        var otherTokens = await other.GetTokensAsync(user.Email, TestData.Password);
        var otherSession = (await _server.SessionsOfAsync(user.Id)).Single(s => s.Id != mine.Id);

        var response = await flow.PostAsync("account/sessions", "End", new Dictionary<string, string> { ["id"] = otherSession.Id.ToString() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await other.IsSignedInAsync());
        Assert.True(await flow.IsSignedInAsync());
        Assert.Equal("invalid_grant", await _server.RefreshErrorAsync(otherTokens.GetProperty("refresh_token").GetString()!, TestData.SpaClient));
        var ended = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SessionEnded));
        Assert.Contains("\"ended_by\":\"user\"", ended.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessToken_AfterPasswordChange_IsRefusedAtIntrospectionAndUserInfo()
    {
        var (_, flow, tokens) = await SignedInAsync();
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Assert.True(await _server.IsActiveAsync(accessToken));
        Assert.Equal(HttpStatusCode.OK, await _server.UserInfoStatusAsync(accessToken));

        Assert.Equal(HttpStatusCode.OK, (await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword)).StatusCode);

        Assert.False(await _server.IsActiveAsync(accessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await _server.UserInfoStatusAsync(accessToken));
    }

    [Fact]
    public async Task SignOutEverywhere_EndsEverySessionRefreshAndAccessToken()
    {
        var (user, flow, tokens) = await SignedInAsync();
        var other = new AuthorizationCodeFlow(_server);
        await other.GetTokensAsync(user.Email, TestData.Password);
        var accessToken = tokens.GetProperty("access_token").GetString()!;

        var response = await flow.PostAsync("account/sessions", "Everywhere");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(await _server.SessionsOfAsync(user.Id));
        Assert.False(await flow.IsSignedInAsync());
        Assert.False(await other.IsSignedInAsync());
        Assert.False(await _server.IsActiveAsync(accessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await _server.UserInfoStatusAsync(accessToken));
        Assert.Equal("invalid_grant", await _server.RefreshErrorAsync(tokens.GetProperty("refresh_token").GetString()!, TestData.SpaClient));
        var ended = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SessionEnded));
        Assert.Contains("\"ended_by\":\"sign_out_everywhere\"", ended.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableUser_EndsSessionsAndRefusesEarlierAccessTokens()
    {
        var (user, flow, tokens) = await SignedInAsync();
        var accessToken = tokens.GetProperty("access_token").GetString()!;

        var disabled = await _server.AdminHttp(await _server.AutomationTokenAsync()).PostAsync($"api/admin/users/{user.Id}/disable", null);

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        Assert.False(await _server.IsActiveAsync(accessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await _server.UserInfoStatusAsync(accessToken));
        Assert.Empty(await _server.SessionsOfAsync(user.Id));
        Assert.False(await flow.IsSignedInAsync());
        Assert.Contains("\"ended_by\":\"admin\"", Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SessionEnded)).Details,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsPage_WithoutAntiforgeryToken_Returns400AndEndsNothing()
    {
        var (user, flow, _) = await SignedInAsync();

        var response = await flow.Browser.PostAsync("account/sessions?handler=Everywhere", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await _server.SessionsOfAsync(user.Id));
    }
}
