using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

public sealed class EndSessionTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Redirect = "https://app.example/callback";
    private const string AfterLogout = "https://app.example/signed-out";
    private readonly RuumServer _server = fixture.Server;

    private async Task<(AuthorizationCodeFlow Flow, string IdToken)> SignedInAsync()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server)
        {
            ClientId = await _server.CreatePublicClientAsync(Redirect, postLogoutRedirectUri: AfterLogout),
            RedirectUri = Redirect,
        };
        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);
        return (flow, tokens.GetProperty("id_token").GetString()!);
    }

    [Fact]
    public async Task EndSession_RegisteredPostLogoutUri_RedirectsThereAndEndsTheSession()
    {
        var (flow, idToken) = await SignedInAsync();

        var response = await flow.Browser.GetAsync(QueryHelpers.AddQueryString("connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken,
            ["post_logout_redirect_uri"] = AfterLogout,
            ["state"] = "bye",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AfterLogout + "?state=bye", response.Headers.Location!.ToString());
        var again = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" }));
        Assert.Equal("login_required", QueryHelpers.ParseQuery(again.Headers.Location!.Query)["error"].ToString());
    }

    [Fact]
    public async Task EndSession_UnregisteredPostLogoutUri_NeverRedirectsThere()
    {
        var (flow, idToken) = await SignedInAsync();

        var response = await flow.Browser.GetAsync(QueryHelpers.AddQueryString("connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken,
            ["post_logout_redirect_uri"] = "https://evil.example/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("post_logout_redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndSession_WithoutRedirect_ShowsSignedOutPage()
    {
        var (flow, _) = await SignedInAsync();

        var response = await flow.FollowAsync(await flow.Browser.GetAsync("connect/endsession"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You are signed out", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
