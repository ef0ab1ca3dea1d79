using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Onboarding;

namespace Ruum.Identity.Tests.AdminConsole;

/// <summary>
/// The admin console in headless Chromium, through its pages; a screenshot per step and of every console page
/// (test output: screenshots/AdminConsole*).
/// </summary>
public sealed class AdminConsoleBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ConfidentialClient_CreatedInTheConsole_ItsSecretGetsAClientCredentialsToken()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var clientId = "console-" + Guid.NewGuid().ToString("N")[..10];
        await using var session = await browser.NewSessionAsync("AdminConsole-" + nameof(ConfidentialClient_CreatedInTheConsole_ItsSecretGetsAClientCredentialsToken));
        var page = session.Page;

        await session.StepAsync("signed-in", () => page.SignInToConsoleAsync(_server, admin.Email));
        await session.StepAsync("clients", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Clients" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "New client" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New client" })).ToBeVisibleAsync();
        });
        string secret = "";
        await session.StepAsync("created", async () =>
        {
            await page.GetByLabel("Client id").FillAsync(clientId);
            await page.GetByLabel("Confidential: a server that keeps a secret").CheckAsync();
            await page.GetByLabel("Display name").FillAsync("Nightly reports");
            await page.GetByLabel("Client credentials (a service, no person)").CheckAsync();
            await page.GetByLabel("Scopes").FillAsync("ruum.api");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();
            await Assertions.Expect(page.Locator("#secret-warning")).ToContainTextAsync("shown only this once");
            secret = (await page.Locator("#client-secret").TextContentAsync())!.Trim();
        });

        var token = await _server.ClientCredentialsAsync(clientId, secret, "ruum.api");
        Assert.Equal(clientId, Jwt.Payload(token.GetProperty("access_token").GetString()!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task CompanyAdmin_AddsACompanyMemberToAProject_TheMembershipIsStored()
    {
        var companyId = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyAdmin);
        var member = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyMember);
        var projectId = await _server.CreateProjectAsync(companyId, "Torre Norte");
        await using var session = await browser.NewSessionAsync("AdminConsole-" + nameof(CompanyAdmin_AddsACompanyMemberToAProject_TheMembershipIsStored));
        var page = session.Page;

        await session.StepAsync("signed-in", () => page.SignInToConsoleAsync(_server, admin.Email));
        await session.StepAsync("company", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Companies" }).ClickAsync();
            await page.Locator($"tr[data-company-id='{companyId}'] a").ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Torre Norte" }).ClickAsync();
            await page.ExpectPathAsync("/admin/projects/" + projectId);
        });
        await session.StepAsync("member-added", async () =>
        {
            await page.GetByLabel("Person (a member of the company)").SelectOptionAsync(member.Id.ToString());
            await page.GetByLabel("Project role").SelectOptionAsync(RoleCatalogue.ProjectEditor);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add or change" }).ClickAsync();
            await Assertions.Expect(page.Locator($"#project-members tr[data-user-id='{member.Id}'] td.role")).ToHaveTextAsync(RoleCatalogue.ProjectEditor);
        });

        var stored = await _server.WithDatabaseAsync(db => (from m in db.Set<ProjectMembership>()
                                                            join r in db.Set<Role>() on m.RoleId equals r.Id
                                                            where m.ProjectId == projectId && m.UserId == member.Id
                                                            select r.Name).SingleOrDefaultAsync());
        Assert.Equal(RoleCatalogue.ProjectEditor, stored);
    }

    [Fact]
    public async Task AuditLog_FilteredAndExported_TheFileHoldsTheFilteredRows()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var target = await _server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync("AdminConsole-" + nameof(AuditLog_FilteredAndExported_TheFileHoldsTheFilteredRows));
        var page = session.Page;
        await session.StepAsync("signed-in", () => page.SignInToConsoleAsync(_server, admin.Email));
        // Two admin changes to the target, through the console: they are the rows the filter must find.
        await session.StepAsync("unlocked-twice", async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                await page.OpenAsync(_server, $"/admin/users/{target.Id}/unlock");
                await page.GetByLabel("Yes, I understand what this ends").CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
                await page.ExpectPathAsync($"/admin/users/{target.Id}");
            }
        });
        await session.StepAsync("filtered", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await page.GetByLabel("Event type").FillAsync("admin.user.unlocked");
            await page.GetByLabel("User id").FillAsync(admin.Id.ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            await Assertions.Expect(page.Locator("#audit-events tbody tr")).ToHaveCountAsync(2);
        });
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export JSON lines" }).ClickAsync());
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            var row = JsonDocument.Parse(line).RootElement;
            Assert.Equal("admin.user.unlocked", row.GetProperty("type").GetString());
            Assert.Equal(admin.Id, row.GetProperty("userId").GetGuid());
            Assert.Equal("user:" + target.Id, row.GetProperty("details").GetProperty("target").GetString());
        }
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csvLines = await File.ReadAllLinesAsync((await csv.PathAsync())!);
        Assert.StartsWith("id,sequence,occurred_at,type", csvLines[0], StringComparison.Ordinal);
        Assert.Equal(3, csvLines.Length);
    }

    [Fact]
    public async Task EveryConsolePage_OpenedByAPlatformAdmin_RendersAndIsKeptAsAScreenshot()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var companyId = await _server.CreateCompanyAsync("Construcciones <b>Sol</b>");
        var projectId = await _server.CreateProjectAsync(companyId, "Residencial Mar");
        var member = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyMember);
        var invitationId = (await _server.InviteAsync(TestData.UniqueEmail("pages"), companyId)).GetProperty("id").GetGuid();
        await using var session = await browser.NewSessionAsync("AdminConsole-pages");
        var page = session.Page;
        await session.StepAsync("dashboard", () => page.SignInToConsoleAsync(_server, admin.Email));
        string[] paths =
        [
            "/admin/clients", "/admin/clients/new", "/admin/clients/dev-service", "/admin/clients/dev-service/rotate-secret",
            "/admin/clients/dev-service/disable", "/admin/clients/dev-service/delete", "/admin/scopes", "/admin/users",
            $"/admin/users/{member.Id}", $"/admin/users/{member.Id}/disable", $"/admin/users/{member.Id}/reset-second-factor",
            $"/admin/users/{member.Id}/end-sessions", $"/admin/users/{member.Id}/remove-devices", $"/admin/users/{member.Id}/erase",
            "/admin/companies", $"/admin/companies/{companyId}", $"/admin/projects/{projectId}", $"/admin/remove/company-member/{companyId}/{member.Id}",
            $"/admin/remove/project/{projectId}", $"/admin/remove/company/{companyId}", "/admin/roles", "/admin/audit",
            "/admin/users/invitations", "/admin/users/invite", $"/admin/users/invite?company={companyId}", $"/admin/users/invitations/{invitationId}/revoke",
            $"/admin/companies/{companyId}/policy", "/admin/scopes/ruum.api", "/admin/scopes/ruum.api/delete",
        ];
        foreach (var path in paths)
        {
            await session.StepAsync(path.Replace('/', '_').Replace('?', '_').Trim('_'), async () =>
            {
                var response = await page.OpenAsync(_server, path);
                Assert.Equal(200, response!.Status);
                await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Admin console" })).ToBeVisibleAsync();
            });
        }
    }
}
