using Microsoft.Playwright;
using OtpNet;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Otp;

/// <summary>The second step in headless Chromium, screenshot per page (test output: screenshots/).</summary>
public sealed class SecondFactorBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task EmailedCode_TrustDevice_SkipsTheCodeUntilTheDeviceIsRevoked()
    {
        var user = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(EmailedCode_TrustDevice_SkipsTheCodeUntilTheDeviceIsRevoked));
        var page = session.Page;

        await session.StepAsync("password", () => SignInWithPasswordAsync(page, user.Email));
        await session.StepAsync("code-page", async () =>
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#otp-hint")).ToContainTextAsync(OtpModel.Mask(user.Email));
            Assert.Equal("one-time-code", await page.GetAttributeAsync("#Input_Code", "autocomplete"));
            Assert.Equal("numeric", await page.GetAttributeAsync("#Input_Code", "inputmode"));
        });
        await session.StepAsync("code-entered-device-trusted", async () =>
        {
            await page.EnterEmailedCodeAsync(_server, user.Email, trustDevice: true);
            await page.ExpectPathAsync("/account/devices");
            await Assertions.Expect(page.GetByRole(AriaRole.Cell).Filter(new() { HasText = "(this device)" })).ToContainTextAsync("Chrome on Linux");
        });
        var mails = _server.MessagesTo(user.Email).Count;
        await session.StepAsync("signed-out", () => page.SignOutAsync(_server.BaseAddress));
        await session.StepAsync("second-sign-in-skips-the-code", async () =>
        {
            await SignInWithPasswordAsync(page, user.Email);
            await page.ExpectPathAsync("/account/devices");
            Assert.Equal(mails, _server.MessagesTo(user.Email).Count);
        });
        await session.StepAsync("device-revoked", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Remove Chrome on Linux" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The device was removed.");
            await Assertions.Expect(page.Locator("#no-devices")).ToBeVisibleAsync();
        });
        await session.StepAsync("signed-out-again", () => page.SignOutAsync(_server.BaseAddress));
        await session.StepAsync("code-asked-again", async () =>
        {
            await SignInWithPasswordAsync(page, user.Email);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
            Assert.Equal(mails + 1, _server.MessagesTo(user.Email).Count);
        });
    }

    [Fact]
    public async Task Authenticator_EnrolFromTheTextKey_ThenSignInWithTheAppCode()
    {
        var user = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(Authenticator_EnrolFromTheTextKey_ThenSignInWithTheAppCode));
        var page = session.Page;
        string secret = "";

        await session.StepAsync("signed-in-by-email", async () =>
        {
            await SignInWithPasswordAsync(page, user.Email, "/account/authenticator");
            await page.EnterEmailedCodeAsync(_server, user.Email);
            await page.ExpectPathAsync("/account/authenticator");
        });
        await session.StepAsync("enrolment-page", async () =>
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
            secret = (await page.Locator("#secret-key").TextContentAsync())!.Trim();
            Assert.Equal(32, secret.Length);
        });
        await session.StepAsync("enrolled-recovery-codes", async () =>
        {
            await page.GetByLabel("Code from the app").FillAsync(Code(secret));
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
            await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        });
        await session.StepAsync("signed-out", () => page.SignOutAsync(_server.BaseAddress));
        _server.Clock.Advance(TimeSpan.FromSeconds(30));
        await session.StepAsync("app-code-page", async () =>
        {
            await SignInWithPasswordAsync(page, user.Email, "/account/activity");
            await Assertions.Expect(page.Locator("#otp-hint")).ToContainTextAsync("Open your authenticator app");
            await Assertions.Expect(page.Locator("#use-recovery")).ToBeVisibleAsync();
        });
        await session.StepAsync("signed-in-with-the-app", async () =>
        {
            await page.EnterCodeAsync(Code(secret));
            await page.ExpectPathAsync("/account/activity");
            await Assertions.Expect(page.Locator("tr[data-event-type='authenticator.enrolled']")).ToHaveCountAsync(1);
        });
    }

    private string Code(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(_server.Clock.GetUtcNow().UtcDateTime);

    private async Task SignInWithPasswordAsync(IPage page, string email, string returnUrl = "/account/devices")
    {
        await page.GotoAsync(new Uri(_server.BaseAddress, "account/login?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
