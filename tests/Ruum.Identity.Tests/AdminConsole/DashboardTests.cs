using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.AdminConsole;

/// <summary>
/// The dashboard's figures against audit rows this test writes on chosen days (its own server: the clock moves on
/// by days). A company admin's dashboard counts their company's people only.
/// </summary>
public sealed class DashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Dashboard_OfACompanyAdmin_CountsTheAuditRowsOfTheirCompanysPeoplePerDay()
    {
        await using var server = await RuumServer.StartAsync();
        var companyId = await server.CreateCompanyAsync();
        var admin = await server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyAdmin);
        var member = await server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyMember);
        var outsider = await server.CreateCompanyUserAsync(await server.CreateCompanyAsync(), RoleCatalogue.CompanyMember);

        var first = Day(server);
        await RecordAsync(server, member.Id, AuditEventTypes.SignInSucceeded, AuditEventTypes.SignInSucceeded, AuditEventTypes.SignInFailed);
        await RecordAsync(server, member.Id, AuditEventTypes.CodeVerified, new { method = "authenticator" });
        await RecordAsync(server, outsider.Id, AuditEventTypes.SignInSucceeded, AuditEventTypes.SignInSucceeded, AuditEventTypes.AccountLocked);
        server.Clock.Advance(TimeSpan.FromDays(2));
        var third = Day(server);
        await RecordAsync(server, member.Id, AuditEventTypes.AccountLocked, AuditEventTypes.RecoveryCodeUsed);
        await RecordAsync(server, member.Id, AuditEventTypes.CodeVerified, new { method = "email_code" });
        server.Clock.Advance(TimeSpan.FromDays(1));
        var today = Day(server);

        await using var session = await browser.NewSessionAsync("AdminConsole-dashboard");
        var page = session.Page;
        // The admin's own sign-in today (password and emailed code) counts too: they are one of the company's people.
        await session.StepAsync("dashboard", () => page.SignInToConsoleAsync(server, admin.Email));

        Assert.Equal("2,1,0,1", await CountsAsync(page, first));
        Assert.Equal("0,0,0,0", await CountsAsync(page, first.AddDays(1)));
        Assert.Equal("0,0,1,2", await CountsAsync(page, third));
        Assert.Equal("1,0,0,1", await CountsAsync(page, today));
        Assert.Equal(30, await page.Locator("#chart-sign-ins-table tbody tr").CountAsync());
        Assert.Equal("1", await page.Locator("#chart-methods-table tr[data-method='authenticator'] td").First.TextContentAsync());
        Assert.Equal("2", await page.Locator("#chart-methods-table tr[data-method='email_code'] td").First.TextContentAsync());
        Assert.Equal("1", await page.Locator("#chart-methods-table tr[data-method='recovery_code'] td").First.TextContentAsync());
        await Assertions.Expect(page.Locator("#chart-sign-ins svg rect")).ToHaveCountAsync(30);
    }

    private static DateOnly Day(RuumServer server) => DateOnly.FromDateTime(server.Clock.GetUtcNow().UtcDateTime);

    private static async Task<string> CountsAsync(IPage page, DateOnly day)
    {
        var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var counts = new int[4];
        string[] charts = ["sign-ins", "failed-sign-ins", "lockouts", "second-factors"];
        for (var i = 0; i < charts.Length; i++)
        {
            var cell = await page.Locator($"#chart-{charts[i]}-table tr[data-day='{key}'] td").TextContentAsync();
            counts[i] = int.Parse(cell!, CultureInfo.InvariantCulture);
        }
        return string.Join(',', counts);
    }

    private static Task RecordAsync(RuumServer server, Guid userId, params string[] types) =>
        server.WithServicesAsync(async s =>
        {
            foreach (var type in types)
            {
                await s.GetRequiredService<AuditLog>().RecordAsync(type, type == AuditEventTypes.SignInFailed ? AuditOutcomes.Failure : AuditOutcomes.Success,
                    userId);
            }
        });

    private static Task RecordAsync(RuumServer server, Guid userId, string type, object details) =>
        server.WithServicesAsync(s => s.GetRequiredService<AuditLog>().RecordAsync(type, AuditOutcomes.Success, userId, details));
}
