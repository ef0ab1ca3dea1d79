using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Consent;

public sealed partial class ConsentTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Redirect = "https://partner.example/callback";
    private readonly RuumServer _server = fixture.Server;

    private async Task<(AuthorizationCodeFlow Flow, HttpResponseMessage ConsentPage)> ReachConsentAsync(string scope = "openid profile")
    {
        var (flow, consent, _) = await ReachConsentAsUserAsync(scope);
        return (flow, consent);
    }

    private async Task<(AuthorizationCodeFlow Flow, HttpResponseMessage ConsentPage, Guid UserId)> ReachConsentAsUserAsync(string scope = "openid profile")
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server)
        {
            ClientId = await _server.CreatePublicClientAsync(Redirect, thirdParty: true),
            RedirectUri = Redirect,
            Scope = scope,
        };
        var login = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl()));
        var consent = await flow.FollowAsync(await flow.SignInWithPageAsync(login, user.Email, TestData.Password));
        return (flow, consent, user.Id);
    }

    private static async Task<HttpResponseMessage> AnswerAsync(AuthorizationCodeFlow flow, HttpResponseMessage consentPage, string handler)
    {
        var html = await consentPage.Content.ReadAsStringAsync();
        var returnUrl = QueryHelpers.ParseQuery(consentPage.RequestMessage!.RequestUri!.Query)["returnUrl"].ToString();
        return await flow.FollowAsync(await flow.Browser.PostAsync($"account/consent?handler={handler}", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["ReturnUrl"] = returnUrl,
                ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(html),
            })));
    }

    [Fact]
    public async Task ThirdPartyClient_FirstSignIn_ShowsConsentPage()
    {
        var (_, consent) = await ReachConsentAsync();

        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Equal("/account/consent", consent.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await consent.Content.ReadAsStringAsync();
        Assert.Contains("Allow Partner App?", html, StringComparison.Ordinal);
        Assert.Contains("See your name", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentPage_EveryScope_NamesEachClaimItReleases()
    {
        var (_, consent) = await ReachConsentAsync("openid profile email offline_access ruum.api ruum.permissions");

        var list = ScopeList().Match(await consent.Content.ReadAsStringAsync());
        Assert.True(list.Success, "No list of scopes on the page.");
        var items = ScopeItem().Matches(list.Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(
        [
            "Know who you are: your Ruum account id, and when and how you signed in",
            "See your name",
            "See your email address and whether it was verified",
            "Stay connected when you are not using it",
            "Use Ruum on your behalf, and see your active company, your role in it, your project roles and your Ruum staff roles",
            "See your permissions in Ruum",
        ], items);
    }

    [Fact]
    public async Task ThirdPartyClient_Accepted_IssuesCodeAndDoesNotAskAgain()
    {
        var (flow, consent, userId) = await ReachConsentAsUserAsync();
        Assert.Empty(await _server.AuditOfAsync(userId, AuditEventTypes.ConsentGranted));

        var redirect = await AnswerAsync(flow, consent, "Accept");
        Assert.NotEmpty(flow.CodeFrom(redirect));
        var granted = Assert.Single(await _server.AuditOfAsync(userId, AuditEventTypes.ConsentGranted));
        Assert.Equal(flow.ClientId, granted.ClientId);
        Assert.Contains("\"profile\"", granted.Details, StringComparison.Ordinal);

        var again = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" })));
        Assert.NotEmpty(flow.CodeFrom(again));
    }

    [Fact]
    public async Task ThirdPartyClient_Denied_ReturnsAccessDeniedToTheClient()
    {
        var (flow, consent) = await ReachConsentAsync();

        var redirect = await AnswerAsync(flow, consent, "Deny");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith(Redirect, redirect.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("access_denied", QueryHelpers.ParseQuery(redirect.Headers.Location.Query)["error"].ToString());
    }

    [Fact]
    public async Task ThirdPartyClient_PromptNoneBeforeConsent_ReturnsConsentRequired()
    {
        var (flow, _) = await ReachConsentAsync();

        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" }));

        Assert.Equal("consent_required", QueryHelpers.ParseQuery(response.Headers.Location!.Query)["error"].ToString());
    }

    [Theory]
    [InlineData("https://evil.example/connect/authorize?client_id=dev-spa")]
    [InlineData("/account/devices")]
    [InlineData("/connect/authorize?client_id=unknown-client")]
    public async Task ConsentPage_ForeignOrBrokenReturnUrl_Returns400(string returnUrl)
    {
        var (flow, _) = await ReachConsentAsync();

        var response = await flow.Browser.GetAsync("account/consent?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This request cannot be completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<ul class=\"scopes\">.*?</ul>", RegexOptions.Singleline)]
    private static partial Regex ScopeList();

    [GeneratedRegex("<li>([^<]*)</li>")]
    private static partial Regex ScopeItem();
}
