using Microsoft.Playwright;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>Links another site could send (end session, prompt=login) in headless Chromium: nobody is signed out unasked.</summary>
public sealed class EndSessionBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task EndSession_BareLink_AsksAndSignsOutOnlyWhenConfirmed()
    {
        var user = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(EndSession_BareLink_AsksAndSignsOutOnlyWhenConfirmed));
        var page = session.Page;

        await session.StepAsync("signed-in", () => SignInAsync(page, user.Email));
        await session.StepAsync("end-session-asks", async () =>
        {
            await page.GotoAsync(Url("connect/endsession"));
            await page.ExpectPathAsync("/account/logout");
            await Assertions.Expect(page.GetByText("An application asked to sign you out.")).ToBeVisibleAsync();
        });
        await session.StepAsync("still-signed-in", () => AssertSignedInAsync(page));
        await session.StepAsync("confirmed", async () =>
        {
            await page.GotoAsync(Url("connect/endsession"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.ExpectPathAsync("/account/logged-out");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        });
        await session.StepAsync("signed-out", async () =>
        {
            await page.GotoAsync(Url("account/devices"));
            await page.ExpectPathAsync("/account/login");
        });
    }

    [Fact]
    public async Task PromptLogin_LinkLeftOnTheLoginPage_KeepsTheSession()
    {
        var user = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(PromptLogin_LinkLeftOnTheLoginPage_KeepsTheSession));
        var page = session.Page;

        await session.StepAsync("signed-in", () => SignInAsync(page, user.Email));
        await session.StepAsync("prompt-login-asks", async () =>
        {
            await page.GotoAsync(Url(new AuthorizationCodeFlow(_server).AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "login" })));
            await page.ExpectPathAsync("/account/login");
        });
        await session.StepAsync("still-signed-in", () => AssertSignedInAsync(page));
    }

    private string Url(string relative) => new Uri(_server.BaseAddress, relative).ToString();

    private async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync(Url("account/login?returnUrl=" + Uri.EscapeDataString("/account/devices")));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.EnterEmailedCodeAsync(_server, email);
        await page.ExpectPathAsync("/account/devices");
    }

    private async Task AssertSignedInAsync(IPage page)
    {
        await page.GotoAsync(Url("account/devices"));
        await page.ExpectPathAsync("/account/devices");
    }
}
