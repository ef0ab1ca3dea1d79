using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary><c>/api/admin/companies/{id}/policy</c>: a company's security policy, read and replaced by its own admins.</summary>
public sealed class SecurityPolicyApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<(Guid Company, HttpClient Admin)> CompanyAdminAsync()
    {
        var company = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(company, RoleCatalogue.CompanyAdmin);
        return (company, _server.AdminHttp(await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), admin.Email)));
    }

    private async Task<string> StoredAsync(Guid company)
    {
        var c = await _server.WithDatabaseAsync(db => db.Set<Company>().AsNoTracking().SingleAsync(c => c.Id == company));
        return $"{c.RequireAuthenticator}|{c.ForbidTrustedDevices}|{c.MaxSessionMinutes}";
    }

    [Fact]
    public async Task Policy_CompanyAdminReadsAndReplacesOwn_StoredAuditedWithTheCompanyColumn()
    {
        var (company, admin) = await CompanyAdminAsync();

        var read = await admin.GetAsync($"api/admin/companies/{company}/policy");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var initial = await read.JsonAsync();
        Assert.Equal("any", initial.GetProperty("secondFactors").GetString());
        Assert.True(initial.GetProperty("trustedDevices").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, initial.GetProperty("maxSessionMinutes").ValueKind);

        var changed = await admin.PutJsonAsync($"api/admin/companies/{company}/policy",
            new { secondFactors = "authenticator", trustedDevices = false, maxSessionMinutes = 480 }, read.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(read.Headers.ETag!.Tag, changed.Headers.ETag!.Tag);
        Assert.Equal("authenticator", (await changed.JsonAsync()).GetProperty("secondFactors").GetString());
        Assert.Equal("True|True|480", await StoredAsync(company));
        var audited = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>()
            .Where(e => e.Type == AuditEventTypes.AdminCompanyPolicyChanged && e.CompanyId == company).ToListAsync());
        Assert.Contains("\"max_session_minutes\":480", Assert.Single(audited).Details!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"secondFactors":"sms","trustedDevices":true}""", "secondFactors")]
    [InlineData("""{"trustedDevices":true}""", "secondFactors")]
    [InlineData("""{"secondFactors":"any"}""", "trustedDevices")]
    [InlineData("""{"secondFactors":"any","trustedDevices":true,"maxSessionMinutes":1}""", "maxSessionMinutes")]
    [InlineData("""{"secondFactors":"any","trustedDevices":true,"maxSessionMinutes":100000}""", "maxSessionMinutes")]
    [InlineData("""{"secondFactors":"any","trustedDevices":true,"maxSessionMinutes":"8h"}""", "$.maxSessionMinutes")]
    [InlineData("""{"secondFactors":"any","trustedDevices":true,"emailCodes":false}""", "emailCodes")]
    public async Task Policy_InvalidValues_400NamingTheFieldAndNothingChanged(string body, string field)
    {
        var (company, admin) = await CompanyAdminAsync();
        var before = await StoredAsync(company);

        var response = await admin.SendJsonAsync(HttpMethod.Put, $"api/admin/companies/{company}/policy", body);

        Assert.True((await response.FieldErrorsAsync()).TryGetProperty(field, out _), field);
        Assert.Equal(before, await StoredAsync(company));
    }

    [Fact]
    public async Task Policy_StaleIfMatch_412AndNothingChanged()
    {
        var (company, admin) = await CompanyAdminAsync();
        var etag = (await admin.GetAsync($"api/admin/companies/{company}/policy")).Headers.ETag!.Tag;
        await admin.PutJsonAsync($"api/admin/companies/{company}/policy", new { secondFactors = "any", trustedDevices = false }, etag);
        var before = await StoredAsync(company);

        var response = await admin.PutJsonAsync($"api/admin/companies/{company}/policy", new { secondFactors = "authenticator", trustedDevices = true }, etag);

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await StoredAsync(company));
    }

    [Fact]
    public async Task Policy_PlatformAdminWithPasswordOnlyToken_403AndNothingChanged()
    {
        var company = await _server.CreateCompanyAsync();
        var platformAdmin = await _server.CreatePlatformAdminAsync();
        var admin = _server.AdminHttp(await _server.PasswordOnlyTokenAsync(await _server.CreateConsoleClientAsync(), platformAdmin.Email));
        var before = await StoredAsync(company);

        var response = await admin.PutJsonAsync($"api/admin/companies/{company}/policy", new { secondFactors = "authenticator", trustedDevices = false });

        Assert.Equal("mfa_required", (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("reason").GetString());
        Assert.Equal(before, await StoredAsync(company));
    }

    [Fact]
    public async Task Policy_PlatformAdmin_ManagesAnyCompany()
    {
        var company = await _server.CreateCompanyAsync();
        var admin = _server.AdminHttp(await _server.AutomationTokenAsync());

        var response = await admin.PutJsonAsync($"api/admin/companies/{company}/policy", new { secondFactors = "any", trustedDevices = false, maxSessionMinutes = 60 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("False|True|60", await StoredAsync(company));
    }

    [Fact]
    public async Task OpenApi_DocumentsThePolicyEndpoints()
    {
        var document = await (await _server.CreatePlainClient().GetAsync("api/admin/openapi.json")).Content.ReadAsStringAsync();

        Assert.Contains("/api/admin/companies/{id}/policy", document, StringComparison.Ordinal);
        Assert.Contains("SecurityPolicyInput", document, StringComparison.Ordinal);
    }
}
