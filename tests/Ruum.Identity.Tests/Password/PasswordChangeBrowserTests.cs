using Microsoft.Playwright;
using Ruum.Identity.Features.Password;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Password;

/// <summary>The password change in headless Chromium, screenshot per step (test output: screenshots/).</summary>
public sealed class PasswordChangeBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ChangePassword_ThroughThePage_StaysSignedInAndTheNewPasswordSignsIn()
    {
        var user = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(ChangePassword_ThroughThePage_StaysSignedInAndTheNewPasswordSignsIn));
        var page = session.Page;

        await session.StepAsync("signed-in", () => SignInAsync(page, user.Email, TestData.Password));
        await session.StepAsync("confirmation-mismatch", async () =>
        {
            await FillAsync(page, TestData.Password, PasswordPage.NewPassword, PasswordPage.NewPassword + "?");
            await Assertions.Expect(page.Locator("#confirm-password-error")).ToHaveTextAsync("The two new passwords do not match.");
            await Assertions.Expect(page.GetByLabel("New password again")).ToHaveAttributeAsync("aria-invalid", "true");
        });
        await session.StepAsync("changed", async () =>
        {
            await FillAsync(page, TestData.Password, PasswordPage.NewPassword, PasswordPage.NewPassword);
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(ChangePasswordModel.Changed);
        });
        await session.StepAsync("still-signed-in", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Recent activity" }).ClickAsync();
            await Assertions.Expect(page.Locator("tr[data-event-type='password.changed']")).ToHaveCountAsync(1);
        });
        await session.StepAsync("signed-out", () => page.SignOutAsync(_server.BaseAddress));
        await session.StepAsync("new-password-signs-in", () => SignInAsync(page, user.Email, PasswordPage.NewPassword));
    }

    private async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync(new Uri(_server.BaseAddress, "account/login?returnUrl=" + Uri.EscapeDataString("/account/password")).ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.EnterEmailedCodeAsync(_server, email);
        await page.ExpectPathAsync("/account/password");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();
    }

    private static async Task FillAsync(IPage page, string current, string replacement, string confirm)
    {
        await page.GetByLabel("Current password").FillAsync(current);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(replacement);
        await page.GetByLabel("New password again").FillAsync(confirm);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
    }
}
