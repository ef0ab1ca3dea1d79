using Ruum.Identity.Features.Notifications.Templates;
using Microsoft.Playwright;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Onboarding;

/// <summary>An invitation from the admin API to a first sign-in, in headless Chromium, the mail read from the Development pickup folder.</summary>
public sealed class InvitationBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Invitation_FromTheAdminApiThroughTheMail_ChoosesAPasswordPassesTheCodeAndSignsIn()
    {
        var company = await _server.CreateCompanyAsync("Construcciones Norte");
        var email = TestData.UniqueEmail("welcome");
        await _server.InviteAsync(email, company, RoleCatalogue.CompanyMember);
        await using var session = await browser.NewSessionAsync(nameof(Invitation_FromTheAdminApiThroughTheMail_ChoosesAPasswordPassesTheCodeAndSignsIn));
        var page = session.Page;

        await session.StepAsync("link-opened", async () =>
        {
            var mail = _server.MessagesTo(email).Last(m => m.Subject == MailTemplates.InvitationSubject);
            var link = mail.TextBody!.Split('\n').Select(line => line.Trim()).Single(line => line.Contains("/account/invitation?token=", StringComparison.Ordinal));
            await page.GotoAsync(link);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accept your invitation" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Invited Person");
        });
        await session.StepAsync("weak-password", async () =>
        {
            await FillAsync(page, "Ana García", "Password1234");
            await Assertions.Expect(page.Locator("#new-password-error")).ToHaveTextAsync(NewPasswordRules.Common);
            await Assertions.Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        });
        await session.StepAsync("code", async () =>
        {
            await FillAsync(page, "Ana García", InvitationPages.Password);
            await page.EnterEmailedCodeAsync(_server, email);
        });
        await session.StepAsync("signed-in", async () =>
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to Ruum" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#invitation-companies")).ToContainTextAsync("Construcciones Norte");
            // A page that needs a session opens without a sign-in.
            await page.GotoAsync(new Uri(_server.BaseAddress, "account/devices").ToString());
            await page.ExpectPathAsync("/account/devices");
        });
    }

    private static async Task FillAsync(IPage page, string name, string password)
    {
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Password again").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }
}
