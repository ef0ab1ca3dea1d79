using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Tokens;

public sealed partial class EndSessionTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Redirect = "https://app.example/callback";
    private const string AfterLogout = "https://app.example/signed-out";
    private const string AskedByApplication = "An application asked to sign you out.";
    private readonly RuumServer _server = fixture.Server;

    private async Task<(AuthorizationCodeFlow Flow, string IdToken)> SignedInAsync(string? clientId = null)
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server)
        {
            ClientId = clientId ?? await _server.CreatePublicClientAsync(Redirect, postLogoutRedirectUri: AfterLogout),
            RedirectUri = Redirect,
        };
        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);
        return (flow, tokens.GetProperty("id_token").GetString()!);
    }

    private static string EndSessionUrl(string? idTokenHint, string? postLogoutRedirectUri = AfterLogout, string? state = "bye") =>
        QueryHelpers.AddQueryString("connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = idTokenHint,
            ["post_logout_redirect_uri"] = postLogoutRedirectUri,
            ["state"] = state,
        }.Where(p => p.Value is not null));

    /// <summary>A prompt=none authorization request still gets a code: the session is alive.</summary>
    private static async Task AssertStillSignedInAsync(AuthorizationCodeFlow flow)
    {
        var again = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" })));
        Assert.NotEmpty(flow.CodeFrom(again));
    }

    private static async Task AssertSignedOutAsync(AuthorizationCodeFlow flow)
    {
        var again = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" }));
        Assert.Equal("login_required", QueryHelpers.ParseQuery(again.Headers.Location!.Query)["error"].ToString());
    }

    /// <summary>Presses "Sign out" on the confirmation page, as the browser posts the form.</summary>
    private static async Task<HttpResponseMessage> ConfirmAsync(AuthorizationCodeFlow flow, HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        return await flow.Browser.PostAsync(page.RequestMessage!.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(html),
            ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value),
        }));
    }

    private static async Task AssertConfirmationPageAsync(HttpResponseMessage page)
    {
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/account/logout", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(AskedByApplication, await page.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndSession_RegisteredPostLogoutUri_RedirectsThereAndEndsTheSession()
    {
        var (flow, idToken) = await SignedInAsync();

        var response = await flow.Browser.GetAsync(EndSessionUrl(idToken));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AfterLogout + "?state=bye", response.Headers.Location!.ToString());
        await AssertSignedOutAsync(flow);
    }

    [Fact]
    public async Task EndSession_UnregisteredPostLogoutUri_NeverRedirectsThere()
    {
        var (flow, idToken) = await SignedInAsync();

        var response = await flow.Browser.GetAsync(EndSessionUrl(idToken, "https://evil.example/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("post_logout_redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertStillSignedInAsync(flow);
    }

    [Fact]
    public async Task EndSession_AnotherClientsPostLogoutUri_IsRefusedForTheHintsClient()
    {
        var (flow, idToken) = await SignedInAsync();
        const string Elsewhere = "https://other.example/signed-out";
        await _server.CreatePublicClientAsync("https://other.example/callback", postLogoutRedirectUri: Elsewhere);

        var response = await flow.Browser.GetAsync(EndSessionUrl(idToken, Elsewhere));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        await AssertStillSignedInAsync(flow);
    }

    [Fact]
    public async Task EndSession_WithoutHint_AsksAndKeepsTheSession()
    {
        var (flow, _) = await SignedInAsync();

        var page = await flow.FollowAsync(await flow.Browser.GetAsync("connect/endsession"));

        await AssertConfirmationPageAsync(page);
        await AssertStillSignedInAsync(flow);
    }

    [Fact]
    public async Task EndSession_WithoutHintConfirmed_SignsOutAndShowsSignedOutPage()
    {
        var (flow, _) = await SignedInAsync();
        var page = await flow.FollowAsync(await flow.Browser.GetAsync("connect/endsession"));

        var response = await flow.FollowAsync(await ConfirmAsync(flow, page));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You are signed out", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertSignedOutAsync(flow);
    }

    [Fact]
    public async Task EndSession_ConfirmWithoutAntiforgery_IsRefusedAndKeepsTheSession()
    {
        var (flow, _) = await SignedInAsync();
        var page = await flow.FollowAsync(await flow.Browser.GetAsync("connect/endsession"));
        var html = await page.Content.ReadAsStringAsync();

        var response = await flow.Browser.PostAsync(page.RequestMessage!.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertStillSignedInAsync(flow);
    }

    [Fact]
    public async Task EndSession_AnotherUsersHint_AsksAndKeepsTheSession()
    {
        var (flow, _) = await SignedInAsync();
        var (_, othersIdToken) = await SignedInAsync(flow.ClientId);

        var page = await flow.FollowAsync(await flow.Browser.GetAsync(EndSessionUrl(othersIdToken)));

        await AssertConfirmationPageAsync(page);
        await AssertStillSignedInAsync(flow);
    }

    [Fact]
    public async Task EndSession_AnotherUsersHintConfirmed_SignsOutAndGoesToTheRegisteredUri()
    {
        var (flow, _) = await SignedInAsync();
        var (_, othersIdToken) = await SignedInAsync(flow.ClientId);
        var page = await flow.FollowAsync(await flow.Browser.GetAsync(EndSessionUrl(othersIdToken)));

        var response = await flow.FollowAsync(await ConfirmAsync(flow, page));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AfterLogout + "?state=bye", response.Headers.Location!.ToString());
        await AssertSignedOutAsync(flow);
    }

    [Fact]
    public async Task EndSession_InvalidHint_AsksAndKeepsTheSession()
    {
        var (flow, idToken) = await SignedInAsync();
        var forged = idToken[..^4] + (idToken[^4] == 'A' ? "BBBB" : "AAAA");

        var page = await flow.FollowAsync(await flow.Browser.GetAsync(EndSessionUrl(forged, postLogoutRedirectUri: null)));

        await AssertConfirmationPageAsync(page);
        await AssertStillSignedInAsync(flow);
    }

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
