using System.Text.Json;
using Microsoft.Playwright;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.AdminConsole;

/// <summary>Issue 26's invitation path in headless Chromium: a company admin invites in the console, the invitee accepts and gets a token.</summary>
public sealed class ConsoleInvitationBrowserTests(RuumServerFixture fixture, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task CompanyAdmin_InvitesWithAProjectRoleInTheConsole_InviteeAcceptsSignsInAndTheTokensCarryTheProjectRole()
    {
        var companyId = await _server.CreateCompanyAsync("Obras Levante");
        var admin = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyAdmin);
        var projectId = await _server.CreateProjectAsync(companyId, "Torre Este");
        var email = TestData.UniqueEmail("console-invited");
        await using (var session = await browser.NewSessionAsync("AdminConsole-invitation-admin"))
        {
            var page = session.Page;
            await session.StepAsync("signed-in", () => page.SignInToConsoleAsync(_server, admin.Email));
            await session.StepAsync("invited", () => page.InviteInConsoleAsync(email, "Lucía Ferrer", RoleCatalogue.CompanyMember, "Torre Este", RoleCatalogue.ProjectEditor));
            await session.StepAsync("pending", async () =>
            {
                await page.GetByRole(AriaRole.Link, new() { Name = "Invitations of this company" }).ClickAsync();
                var row = page.Locator("#invitations tbody tr", new() { HasText = email });
                await Assertions.Expect(row.Locator("td.status")).ToHaveTextAsync("Pending");
                await Assertions.Expect(row).ToContainTextAsync(RoleCatalogue.ProjectEditor);
            });
        }

        await using var invitee = await browser.NewSessionAsync("AdminConsole-invitation-invitee");
        var flow = new AuthorizationCodeFlow(_server);
        var code = "";
        await invitee.StepAsync("accepted", () => invitee.Page.AcceptInvitationAsync(_server, email, "Lucía Ferrer"));
        await invitee.StepAsync("code", async () => code = await invitee.Page.AuthorizationCodeAsync(_server, flow));

        var redeemed = await flow.RedeemAsync(code);
        var body = await redeemed.Content.ReadAsStringAsync();
        Assert.True(redeemed.IsSuccessStatusCode, body);
        var tokens = JsonDocument.Parse(body).RootElement;
        foreach (var token in new[] { tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("id_token").GetString()! })
        {
            var claims = Jwt.Payload(token);
            Assert.Equal(email, claims.GetProperty("email").GetString());
            Assert.Equal(companyId.ToString(), claims.GetProperty("company_id").GetString());
            Assert.Equal(RoleCatalogue.CompanyMember, claims.GetProperty("company_role").GetString());
            Assert.Equal(RoleCatalogue.ProjectEditor, claims.GetProperty("project_roles").GetProperty(projectId).GetString());
        }
    }
}
