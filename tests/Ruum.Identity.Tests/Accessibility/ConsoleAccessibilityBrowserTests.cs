using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.AdminConsole;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Onboarding;

namespace Ruum.Identity.Tests.Accessibility;

/// <summary>
/// axe-core on every page of the admin console, as a platform admin, in Spanish (the default), with the forms'
/// error states, the confirmation pages, the company picker, the re-authentication page and the console's 403 page.
/// Any serious or critical violation fails. Screenshots and axe's findings: bin/…/screenshots/ConsoleAxe-*.
/// Fields are found by id: the labels are Spanish here.
/// </summary>
public sealed class ConsoleAccessibilityBrowserTests(RuumServerFixture server, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly List<string> _failures = [];

    [Fact]
    public async Task EveryConsolePage_AxeInSpanish_HasNoSeriousOrCriticalViolation()
    {
        var ruum = server.Server;
        var admin = await ruum.CreatePlatformAdminAsync();
        var companyId = await ruum.CreateCompanyAsync("Obras <b>Norte</b> " + Guid.NewGuid().ToString("N")[..6]);
        var otherCompanyId = await ruum.CreateCompanyAsync();
        // Admin of two companies too, so that signing in to an application asks which company.
        await ruum.WithServicesAsync(async s =>
        {
            var tenancy = s.GetRequiredService<TenancyDirectory>();
            await tenancy.SetCompanyRoleAsync(admin.Id, companyId, RoleCatalogue.CompanyAdmin);
            await tenancy.SetCompanyRoleAsync(admin.Id, otherCompanyId, RoleCatalogue.CompanyAdmin);
        });
        var member = await ruum.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyMember);
        var projectId = await ruum.CreateProjectAsync(companyId, "Torre Norte");
        await using var session = await browser.NewSessionAsync("ConsoleAxe-" + nameof(EveryConsolePage_AxeInSpanish_HasNoSeriousOrCriticalViolation), "es-ES");
        try
        {
            await VisitEveryConsolePageAsync(session, admin.Email, member.Id, companyId, projectId);
        }
        catch (Exception)
        {
            await session.ScreenshotAsync("FAILED");
            throw;
        }

        await using var memberSession = await browser.NewSessionAsync("ConsoleAxe-member", "es-ES");
        await SignInAsync(memberSession.Page, member.Email, "/account");
        await memberSession.Page.OpenAsync(ruum, "/admin");
        await Assertions.Expect(memberSession.Page.Locator("h1")).ToHaveTextAsync("No puedes abrir esta página");
        await CheckAsync(memberSession, "error-403");

        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
    }

    private async Task VisitEveryConsolePageAsync(BrowserSession session, string email, Guid memberId, Guid companyId, string projectId)
    {
        var page = session.Page;
        var ruum = server.Server;
        await SignInAsync(page, email, "/admin");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await CheckAsync(session, "dashboard");

        await page.OpenAsync(ruum, "/admin/clients");
        await CheckAsync(session, "clients");
        await page.OpenAsync(ruum, "/admin/clients/new");
        await CheckAsync(session, "client-new");
        await page.Locator("#create-client").ClickAsync();
        await Assertions.Expect(page.Locator("#console-problems")).ToBeVisibleAsync();
        await CheckAsync(session, "client-new-invalid");
        var clientId = "axe-" + Guid.NewGuid().ToString("N")[..10];
        await page.Locator("#client-id").FillAsync(clientId);
        await page.Locator("input[name='Input.Type'][value=confidential]").CheckAsync();
        await page.Locator("#display-name").FillAsync("Informes <i>nocturnos</i>");
        await page.Locator("input[name='Input.GrantTypes'][value=client_credentials]").CheckAsync();
        await page.Locator("#create-client").ClickAsync();
        await Assertions.Expect(page.Locator("#client-secret")).ToBeVisibleAsync();
        await CheckAsync(session, "client-secret-once");
        await page.OpenAsync(ruum, "/admin/clients/" + clientId);
        await CheckAsync(session, "client");
        await page.OpenAsync(ruum, $"/admin/clients/{clientId}/rotate-secret");
        await CheckAsync(session, "client-rotate-confirm");
        await page.OpenAsync(ruum, $"/admin/clients/{clientId}/delete");
        await page.Locator("#confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#console-problems")).ToBeVisibleAsync();
        await CheckAsync(session, "client-delete-unconfirmed");

        await page.OpenAsync(ruum, "/admin/users");
        await CheckAsync(session, "users");
        await page.OpenAsync(ruum, "/admin/users/" + memberId);
        await CheckAsync(session, "user");
        await page.OpenAsync(ruum, $"/admin/users/{memberId}/disable");
        await CheckAsync(session, "user-disable-confirm");

        await page.OpenAsync(ruum, "/admin/companies");
        await CheckAsync(session, "companies");
        await page.OpenAsync(ruum, "/admin/companies/" + companyId);
        await CheckAsync(session, "company");
        await page.OpenAsync(ruum, "/admin/projects/" + projectId);
        await CheckAsync(session, "project");
        await page.OpenAsync(ruum, "/admin/remove/project/" + projectId);
        await CheckAsync(session, "project-remove-confirm");
        await page.OpenAsync(ruum, $"/admin/remove/company-member/{companyId}/{memberId}");
        await CheckAsync(session, "member-remove-confirm");

        await page.OpenAsync(ruum, "/admin/roles");
        await CheckAsync(session, "roles");
        await page.OpenAsync(ruum, "/admin/scopes");
        await CheckAsync(session, "scopes");
        await page.OpenAsync(ruum, "/admin/audit");
        await CheckAsync(session, "audit");

        var invitationId = (await ruum.InviteAsync(TestData.UniqueEmail("axe-invited"), companyId)).GetProperty("id").GetGuid();
        await page.OpenAsync(ruum, $"/admin/users/invite?company={companyId}");
        await CheckAsync(session, "invite");
        await page.OpenAsync(ruum, "/admin/users/invitations");
        await CheckAsync(session, "invitations");
        await page.OpenAsync(ruum, $"/admin/users/invitations/{invitationId}/revoke");
        await CheckAsync(session, "invitation-revoke-confirm");
        await page.OpenAsync(ruum, $"/admin/companies/{companyId}/policy");
        await CheckAsync(session, "company-policy");
        await page.OpenAsync(ruum, "/admin/scopes/ruum.api");
        await CheckAsync(session, "scope-edit");
        await page.OpenAsync(ruum, "/admin/scopes/ruum.api/delete");
        await CheckAsync(session, "scope-delete-confirm");

        await page.OpenAsync(ruum, "/account/reauthenticate?returnUrl=%2Fadmin");
        await CheckAsync(session, "reauthenticate");

        await page.OpenAsync(ruum, new AuthorizationCodeFlow(ruum).AuthorizeUrl());
        await page.ExpectPathAsync(CompanyPickerModel.Path);
        await CheckAsync(session, "company-picker");
    }

    /// <summary>The normal sign-in with the emailed code, by field id (the labels are Spanish).</summary>
    private async Task SignInAsync(IPage page, string email, string path)
    {
        await page.OpenAsync(server.Server, "/account/login?returnUrl=" + Uri.EscapeDataString(path));
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(TestData.Password);
        await page.Locator("form:has(#Input_Email) button[type=submit]:not(.secondary)").First.ClickAsync();
        await page.ExpectPathAsync("/account/otp");
        await page.Locator("#Input_Code").FillAsync(server.Server.LatestCode(email));
        await page.Locator("form:has(#Input_Code) button[type=submit]:not(.secondary)").First.ClickAsync();
        await page.ExpectPathAsync(path);
    }

    private Task CheckAsync(BrowserSession session, string step) => Axe.CheckAsync(session, step, _failures);
}
