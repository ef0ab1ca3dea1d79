using Microsoft.Playwright;
using Ruum.Identity.Features.Recovery;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Recovery;

/// <summary>The forgotten-password path in headless Chromium, the mail read from the Development pickup folder.</summary>
public sealed class PasswordResetBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ForgottenPassword_FromTheLoginPageThroughTheMail_SetsAPasswordThatSignsIn()
    {
        var user = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(ForgottenPassword_FromTheLoginPageThroughTheMail_SetsAPasswordThatSignsIn));
        var page = session.Page;

        await session.StepAsync("asked", async () =>
        {
            await page.GotoAsync(new Uri(_server.BaseAddress, "account/login").ToString());
            await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("If an account exists for that address");
        });
        await session.StepAsync("link-opened", async () =>
        {
            var mail = (await _server.ResetMailsAsync(user.Email, 1))[^1];
            var link = mail.TextBody!.Split('\n').Select(line => line.Trim()).Single(line => line.Contains(PasswordResets.PagePath, StringComparison.Ordinal));
            await page.GotoAsync(link);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#code-hint")).ToContainTextAsync("same mailbox as this");
        });
        await session.StepAsync("code-sent", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Email me a code" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("We sent a code");
        });
        await session.StepAsync("wrong-code", async () =>
        {
            var code = _server.ResetCode(user.Email);
            await FillAsync(page, code == "000000" ? "111111" : "000000", ResetPages.NewPassword);
            await Assertions.Expect(page.Locator("#code-error")).ToHaveTextAsync(ResetPasswordModel.WrongCode);
            await Assertions.Expect(page.GetByLabel("Code", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        });
        await session.StepAsync("changed", async () =>
        {
            await FillAsync(page, _server.ResetCode(user.Email), ResetPages.NewPassword);
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(ResetPasswordModel.Done);
        });
        await session.StepAsync("new-password-signs-in", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
            await page.ExpectPathAsync("/account/login");
            // Where a signed-in browser lands shows it is signed in: the page needs a session.
            await page.GotoAsync(new Uri(_server.BaseAddress, "account/login?returnUrl=" + Uri.EscapeDataString("/account/devices")).ToString());
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync(ResetPages.NewPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.EnterEmailedCodeAsync(_server, user.Email);
            await page.ExpectPathAsync("/account/devices");
        });
    }

    private static async Task FillAsync(IPage page, string code, string password)
    {
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("New password again").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
    }
}
