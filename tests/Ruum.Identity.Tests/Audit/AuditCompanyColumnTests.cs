using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Audit;

/// <summary>
/// Audit rows about a company carry it in an indexed column, filled from the <c>company_id</c> of their hashed details:
/// the admin API's <c>companyId</c> filter and <c>audit export --company</c> use it, and <c>audit verify</c> checks it.
/// </summary>
public sealed class AuditCompanyColumnTests
{
    [Fact]
    public async Task AdminChange_AboutACompany_RowCarriesTheCompanyAndTheFilterFindsIt()
    {
        await using var server = await RuumServer.StartAsync();
        var company = await server.CreateCompanyAsync();
        var other = await server.CreateCompanyAsync();
        var admin = server.AdminHttp(await server.AutomationTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJsonAsync($"api/admin/companies/{company}/policy", new { secondFactors = "any", trustedDevices = false })).StatusCode);
        // An event that only mentions the company id in passing is not about the company.
        await server.WithServicesAsync(s => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AuditLog>(s)
            .RecordAsync(AuditEventTypes.SignInFailed, AuditOutcomes.Failure, null, new { reason = "company_id:" + company, other_company_id = company }));

        var rows = await server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking().Where(e => e.CompanyId == company).ToListAsync());
        var listed = await (await admin.GetAsync($"api/admin/audit?company={company}")).JsonAsync();

        Assert.Contains(rows, e => e.Type == AuditEventTypes.AdminCompanyPolicyChanged);
        Assert.DoesNotContain(rows, e => e.Type == AuditEventTypes.SignInFailed);
        Assert.All(rows, e => Assert.Contains($"\"company_id\":\"{company}\"", e.Details!, StringComparison.Ordinal));
        var types = listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()).ToList();
        Assert.Contains(AuditEventTypes.AdminCompanyPolicyChanged, types);
        Assert.DoesNotContain(AuditEventTypes.SignInFailed, types);
        Assert.Empty((await (await admin.GetAsync($"api/admin/audit?company={other}")).JsonAsync()).GetProperty("items").EnumerateArray());
        await using var output = new StringWriter();
        Assert.True(await AuditVerifyCommand.RunAsync(server.Services, output) == 0, output.ToString());
    }

    [Fact]
    public async Task AuditVerify_CompanyColumnMovedToAnotherCompany_ExitsNonZeroNamingTheRow()
    {
        await using var server = await RuumServer.StartAsync();
        var company = await server.CreateCompanyAsync();
        var other = await server.CreateCompanyAsync();
        var admin = server.AdminHttp(await server.AutomationTokenAsync());
        await admin.PutJsonAsync($"api/admin/companies/{company}/policy", new { secondFactors = "authenticator", trustedDevices = true });
        var row = await server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking().SingleAsync(e => e.CompanyId == company));

        // The owner may switch off the append-only trigger; verify still sees the row moved out of its company's view.
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"""
                ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
                UPDATE audit_events SET "CompanyId" = '{other}' WHERE "Id" = '{row.Id}';
                ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var output = new StringWriter();
        Assert.Equal(1, await AuditVerifyCommand.RunAsync(server.Services, output));
        Assert.Contains(row.Id.ToString(), output.ToString(), StringComparison.Ordinal);
        Assert.Contains("company", output.ToString(), StringComparison.Ordinal);
    }
}
