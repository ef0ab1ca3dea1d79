using System.Net;
using Ruum.Identity.Features.Account;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Account;

public sealed class AccountCentreTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Home_SignedIn_SendsTheUserToTheAccountCentre()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var home = await flow.Browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account", home.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Home_SignedOut_OffersSignIn()
    {
        var home = await _server.CreateBrowserLikeClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("href=\"/account/login\"", await home.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_SignedOut_AsksToSignIn()
    {
        var response = await _server.CreateBrowserLikeClient().GetAsync("account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_SignedIn_ShowsTheProfileEverySettingAndOneNavigation()
    {
        var user = await _server.CreateUserAsync(TestData.UniqueEmail("<b>"));
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetTokensAsync(user.Email, TestData.Password);

        var html = await (await flow.Browser.GetAsync("account")).TextAsync();

        // The address is user input: shown as text.
        Assert.Contains("&lt;b&gt;" + user.Email[3..], html, StringComparison.Ordinal);
        Assert.Contains("Test &lt;b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("Signed-in sessions: 1", html, StringComparison.Ordinal);
        Assert.Matches("Connected applications: [1-9]", html);
        Assert.Contains("Trusted devices: 0", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/email\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/authenticator\"", html, StringComparison.Ordinal);
        Assert.Contains("Signed in", html, StringComparison.Ordinal);
        foreach (var link in AccountNavigation.Links)
        {
            Assert.Contains($"href=\"{link.Href}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("<a href=\"/account\" aria-current=\"page\">", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("account/password")]
    [InlineData("account/authenticator")]
    [InlineData("account/devices")]
    [InlineData("account/sessions")]
    [InlineData("account/apps")]
    [InlineData("account/activity")]
    [InlineData("account/data")]
    public async Task AccountPage_SignedIn_ShowsTheAccountNavigationWithItselfCurrent(string path)
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var html = await (await flow.Browser.GetAsync(path)).TextAsync();

        Assert.Contains("class=\"account-nav\"", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/{path}\" aria-current=\"page\">", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "aria-current=\"page\""));
    }
}
