using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>prompt=login, max_age and acr_values (OIDC Core §3.1.2.1): a fresh sign-in when asked, never a sign-out.</summary>
public sealed class ReauthenticationTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Mfa = "urn:ruum:acr:mfa";
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task PromptLogin_FromAnotherSitesLink_KeepsTheSessionWhenTheLoginPageIsLeft()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var login = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(Extra("prompt", "login"))));

        Assert.Equal("/account/login", login.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True(await flow.IsSignedInAsync());
        await AssertCodeWithoutSignInAsync(flow);
    }

    [Fact]
    public async Task PromptLogin_WrongPassword_KeepsTheSession()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var login = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(Extra("prompt", "login"))));

        var failed = await flow.SignInWithPageAsync(login, user.Email, "Not-The-Password-1");

        Assert.Contains("Email or password is incorrect.", await failed.TextAsync(), StringComparison.Ordinal);
        Assert.True(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task PromptLogin_SameUrlAfterTheCode_AsksAgain()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var login = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(Extra("prompt", "login"))));
        var afterSignIn = await flow.SignInWithPageAsync(login, user.Email, TestData.Password);
        var marked = afterSignIn.Headers.Location!.OriginalString;
        Assert.StartsWith("/connect/authorize?", marked, StringComparison.Ordinal);
        Assert.NotEmpty(flow.CodeFrom(await flow.FollowAsync(afterSignIn)));

        var replay = await flow.FollowAsync(await flow.Browser.GetAsync(marked));

        Assert.Equal("/account/login", replay.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task PromptLogin_MarkerFromAnotherBrowser_StillAsksForTheSignIn()
    {
        var attacker = await _server.CreateUserAsync();
        var attackerFlow = new AuthorizationCodeFlow(_server);
        await attackerFlow.GetCodeAsync(attacker.Email, TestData.Password);
        var challenge = await attackerFlow.Browser.GetAsync(attackerFlow.AuthorizeUrl(Extra("prompt", "login")));
        var returnUrl = QueryHelpers.ParseQuery(challenge.Headers.Location!.Query)["returnUrl"].ToString();
        var marker = QueryHelpers.ParseQuery(returnUrl[returnUrl.IndexOf('?', StringComparison.Ordinal)..])["ruum_sign_in"].ToString();
        Assert.NotEmpty(marker);
        var victim = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(victim.Email, TestData.Password);

        var response = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?>
        {
            ["prompt"] = "login",
            ["ruum_sign_in"] = marker,
        })));

        Assert.Equal("/account/login", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task PromptLogin_OnATrustedDevice_AsksForTheSecondFactor()
    {
        var user = await _server.CreateUserAsync();
        var flow = await SignedInOnATrustedDeviceAsync(user);

        var tokens = await SignInAgainWithSecondFactorAsync(flow, user, Extra("prompt", "login"));

        Assert.Contains("mfa", SecondStep.Amr(IdToken(tokens)));
    }

    [Fact]
    public async Task MaxAgeZero_WithoutSession_SignsInOnceThenIssuesACode()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        HalfWayThroughASecond();

        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password, Extra("max_age", "0"));

        Assert.Contains("mfa", SecondStep.Amr(IdToken(tokens)));
    }

    [Fact]
    public async Task MaxAgeZero_WithSession_SignsInOnceThenIssuesACode()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        HalfWayThroughASecond();

        var code = await flow.GetCodeAsync(user.Email, TestData.Password, Extra("max_age", "0"));

        Assert.NotEmpty(code);
    }

    [Fact]
    public async Task MaxAge_Exceeded_OnATrustedDevice_AsksForTheSecondFactor()
    {
        var user = await _server.CreateUserAsync();
        var flow = await SignedInOnATrustedDeviceAsync(user);
        _server.Clock.Advance(TimeSpan.FromSeconds(120));

        var tokens = await SignInAgainWithSecondFactorAsync(flow, user, Extra("max_age", "60"));

        var identity = IdToken(tokens);
        Assert.Contains("mfa", SecondStep.Amr(identity));
        Assert.Equal(_server.Clock.GetUtcNow().ToUnixTimeSeconds(), identity.GetProperty("auth_time").GetInt64());
    }

    [Fact]
    public async Task MaxAge_NotExceeded_OnATrustedDevice_IssuesWithoutSignIn()
    {
        var user = await _server.CreateUserAsync();
        var flow = await SignedInOnATrustedDeviceAsync(user);
        _server.Clock.Advance(TimeSpan.FromSeconds(30));

        await AssertCodeWithoutSignInAsync(flow, Extra("max_age", "60"));
    }

    [Fact]
    public async Task AcrMfa_OnATrustedDevice_AsksForTheSecondFactorAndSaysSo()
    {
        var user = await _server.CreateUserAsync();
        var flow = await SignedInOnATrustedDeviceAsync(user);

        var tokens = await SignInAgainWithSecondFactorAsync(flow, user, Extra("acr_values", Mfa));

        foreach (var name in new[] { "id_token", "access_token" })
        {
            var payload = SecondStep.JwtPayload(tokens.GetProperty(name).GetString()!);
            Assert.Equal(["pwd", "mfa"], SecondStep.Amr(payload));
            Assert.Equal(Mfa, payload.GetProperty("acr").GetString());
        }
    }

    [Fact]
    public async Task AcrMfa_PasswordOnlySessionWithPromptNone_ReturnsLoginRequired()
    {
        var user = await _server.CreateUserAsync();
        var flow = await SignedInOnATrustedDeviceAsync(user);

        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none", ["acr_values"] = Mfa }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("login_required", QueryHelpers.ParseQuery(response.Headers.Location!.Query)["error"].ToString());
        Assert.True(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task AcrMfa_SessionWithSecondFactor_IssuesWithoutSignInAndNamesTheClass()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var again = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none", ["acr_values"] = Mfa })));

        var tokens = await (await flow.RedeemAsync(flow.CodeFrom(again))).JsonAsync();
        Assert.Equal(Mfa, IdToken(tokens).GetProperty("acr").GetString());
    }

    [Fact]
    public async Task AcrValues_UnknownValue_IsIgnored()
    {
        var user = await _server.CreateUserAsync();
        var flow = await SignedInOnATrustedDeviceAsync(user);

        var again = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none", ["acr_values"] = "urn:example:gold" })));

        var identity = IdToken(await (await flow.RedeemAsync(flow.CodeFrom(again))).JsonAsync());
        Assert.Equal(["pwd"], SecondStep.Amr(identity));
        Assert.False(identity.TryGetProperty("acr", out _));
    }

    private static Dictionary<string, string?> Extra(string name, string value) => new() { [name] = value };

    private static JsonElement IdToken(JsonElement tokens) => SecondStep.JwtPayload(tokens.GetProperty("id_token").GetString()!);

    /// <summary>auth_time has whole seconds; a clock half-way through a second is where max_age=0 used to loop.</summary>
    private void HalfWayThroughASecond()
    {
        var ticks = _server.Clock.GetUtcNow().UtcTicks % TimeSpan.TicksPerSecond;
        _server.Clock.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - ticks + (TimeSpan.TicksPerSecond / 2)));
    }

    private static async Task AssertCodeWithoutSignInAsync(AuthorizationCodeFlow flow, Dictionary<string, string?>? extra = null)
    {
        var parameters = new Dictionary<string, string?>(extra ?? []) { ["prompt"] = "none" };
        var again = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(parameters)));
        Assert.NotEmpty(flow.CodeFrom(again));
    }

    /// <summary>
    /// The authorization request goes to the login page; after the password comes the code page even though the device
    /// is trusted; after the code, the code for the client. Returns the tokens.
    /// </summary>
    private static async Task<JsonElement> SignInAgainWithSecondFactorAsync(AuthorizationCodeFlow flow, User user, Dictionary<string, string?> extra)
    {
        var login = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(extra)));
        Assert.Equal("/account/login", login.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True(await flow.IsSignedInAsync());
        flow.PassSecondFactorAutomatically = false;
        var otp = await flow.FollowAsync(await flow.SignInWithPageAsync(login, user.Email, TestData.Password));
        flow.PassSecondFactorAutomatically = true;
        Assert.True(AuthorizationCodeFlow.IsOtpPage(otp), "Expected the code page, got " + otp.StatusCode + " " + otp.RequestMessage?.RequestUri);
        var response = await flow.RedeemAsync(flow.CodeFrom(await flow.PassSecondFactorAsync(otp, user.Email)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Trusts this browser (emailed code, "Trust this device"), then signs in again on it: a password-only session.</summary>
    private async Task<AuthorizationCodeFlow> SignedInOnATrustedDeviceAsync(User user)
    {
        var flow = new AuthorizationCodeFlow(_server) { TrustDevice = true };
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(ChromeOnWindows);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        flow.TrustDevice = false;
        foreach (var cookie in flow.Cookies.GetAllCookies().Where(c => c.Name == "ruum.session"))
        {
            cookie.Expired = true;
        }
        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);
        Assert.Equal(["pwd"], SecondStep.Amr(IdToken(tokens)));
        return flow;
    }
}
