using Microsoft.Playwright;
using Ruum.Identity.Features.Account;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Account;

/// <summary>The account centre in headless Chromium, screenshot per step (test output: screenshots/).</summary>
public sealed class AccountCentreBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task AccountCentre_EndAnotherSession_SignsThatBrowserOut()
    {
        var user = await _server.CreateUserAsync();
        var elsewhere = new AuthorizationCodeFlow(_server);
        await elsewhere.GetCodeAsync(user.Email, TestData.Password);
        await using var session = await browser.NewSessionAsync(nameof(AccountCentre_EndAnotherSession_SignsThatBrowserOut));
        var page = session.Page;

        await session.StepAsync("account-centre", async () =>
        {
            await SignInAsync(page, user.Email);
            await Assertions.Expect(page.Locator("#sessions-count")).ToHaveTextAsync("Signed-in sessions: 2");
        });
        await session.StepAsync("sessions", async () =>
        {
            await page.Locator("#sessions-count").ClickAsync();
            await page.ExpectPathAsync("/account/sessions");
            await Assertions.Expect(page.Locator("tr[data-session-id]")).ToHaveCountAsync(2);
        });
        await session.StepAsync("ended", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^End the session on ") }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The session was ended. That browser is signed out.");
            await Assertions.Expect(page.Locator("tr[data-session-id]")).ToHaveCountAsync(1);
        });
        await session.StepAsync("back-to-account", async () =>
        {
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Your account" }).GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
            await Assertions.Expect(page.Locator("#sessions-count")).ToHaveTextAsync("Signed-in sessions: 1");
        });
        Assert.False(await elsewhere.IsSignedInAsync());
    }

    [Fact]
    public async Task AccountCentre_Navigation_ReachesEveryAccountPageAndMarksIt()
    {
        var user = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(AccountCentre_Navigation_ReachesEveryAccountPageAndMarksIt));
        var page = session.Page;
        await session.StepAsync("home-is-the-account-centre", async () =>
        {
            await SignInAsync(page, user.Email);
            await page.GotoAsync(_server.BaseAddress.ToString());
            await page.ExpectPathAsync("/account");
        });

        // Backwards, so that every click leaves a page for another one.
        foreach (var link in AccountNavigation.Links.Reverse())
        {
            await session.StepAsync("nav-" + link.Href.Replace('/', '-').Trim('-'), async () =>
            {
                var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Your account" });
                await nav.GetByRole(AriaRole.Link, new() { Name = link.Label, Exact = true }).ClickAsync();
                await page.ExpectPathAsync(link.Href);
                await Assertions.Expect(nav.Locator("[aria-current=page]")).ToHaveTextAsync(link.Label);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            });
        }
    }

    private async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync(new Uri(_server.BaseAddress, "account/login?returnUrl=" + Uri.EscapeDataString("/account")).ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.EnterEmailedCodeAsync(_server, email);
        await page.ExpectPathAsync("/account");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account", Level = 1 })).ToBeVisibleAsync();
    }
}
