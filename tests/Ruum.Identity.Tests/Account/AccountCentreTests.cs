using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Users;
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
        var user = await _server.CreateUserAsync();
        await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "<b>Ann</b>")));
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetTokensAsync(user.Email, TestData.Password);

        // Not TextAsync: it decodes entities, and this test is about them.
        var html = await (await flow.Browser.GetAsync("account")).Content.ReadAsStringAsync();

        // The name is user input: shown as text.
        Assert.Contains(user.Email, html, StringComparison.Ordinal);
        Assert.Equal("&lt;b&gt;Ann&lt;/b&gt;", System.Text.RegularExpressions.Regex.Match(html, "id=\"profile-name\">([^\n]*)</p>").Groups[1].Value);
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
