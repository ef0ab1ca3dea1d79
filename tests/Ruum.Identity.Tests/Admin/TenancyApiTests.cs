using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>Companies, projects and memberships as a platform admin manages them.</summary>
public sealed class TenancyApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<HttpClient> AdminAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    internal static async Task<string> CreateProjectAsync(RuumServer server, Guid companyId)
    {
        Project? project = null;
        await server.WithServicesAsync(async s => project = await s.GetRequiredService<TenancyDirectory>()
            .EnsureProjectAsync(companyId, "Project " + Guid.NewGuid().ToString("N")[..8]));
        return project!.Id;
    }

    [Fact]
    public async Task CompanyProjectMember_CreatedThroughTheApi_StoredAuditedAndListed()
    {
        var admin = await AdminAsync();
        var user = await _server.CreateUserAsync();

        var company = await (await admin.PostJsonAsync("api/admin/companies", new { name = "Constructora <script>alert(1)</script>" })).JsonAsync();
        var companyId = company.GetProperty("id").GetGuid();
        var projectResponse = await admin.PostJsonAsync($"api/admin/companies/{companyId}/projects", new { name = "Torre Norte" });
        Assert.Equal(HttpStatusCode.Created, projectResponse.StatusCode);
        var projectId = (await projectResponse.JsonAsync()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJsonAsync($"api/admin/companies/{companyId}/members/{user.Id}", new { role = "member" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJsonAsync($"api/admin/projects/{projectId}/members/{user.Id}", new { role = "editor" })).StatusCode);

        Assert.Equal("Constructora <script>alert(1)</script>",
            await _server.WithDatabaseAsync(db => db.Set<Company>().Where(c => c.Id == companyId).Select(c => c.Name).SingleAsync()));
        var members = await (await admin.GetAsync($"api/admin/projects/{projectId}/members")).JsonAsync();
        var member = members.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((user.Id, "editor"), (member.GetProperty("userId").GetGuid(), member.GetProperty("role").GetString()));
        var types = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().Where(e => e.Details!.Contains(companyId.ToString()))
            .Select(e => e.Type).ToListAsync());
        Assert.Contains(AuditEventTypes.AdminCompanyCreated, types);
        Assert.Contains(AuditEventTypes.AdminProjectCreated, types);
        Assert.Equal(2, types.Count(t => t == AuditEventTypes.AdminMembershipSet));
    }

    [Fact]
    public async Task SetMember_RoleNotInTheCatalogue_400AndNoMembership()
    {
        var companyId = await _server.CreateCompanyAsync();
        var user = await _server.CreateUserAsync();

        var response = await (await AdminAsync()).PutJsonAsync($"api/admin/companies/{companyId}/members/{user.Id}", new { role = "emperor" });

        Assert.True((await response.FieldErrorsAsync()).TryGetProperty("role", out _));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().AnyAsync(m => m.UserId == user.Id)));
    }

    [Fact]
    public async Task RenameProject_StaleIfMatch_412AndUnchanged()
    {
        var projectId = await CreateProjectAsync(_server, await _server.CreateCompanyAsync());
        var admin = await AdminAsync();
        var etag = (await admin.GetAsync($"api/admin/projects/{projectId}")).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await admin.SendJsonAsync(HttpMethod.Patch, $"api/admin/projects/{projectId}",
            JsonSerializer.Serialize(new { name = "First" }), etag)).StatusCode);

        var response = await admin.SendJsonAsync(HttpMethod.Patch, $"api/admin/projects/{projectId}", JsonSerializer.Serialize(new { name = "Second" }), etag);

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("First", await _server.WithDatabaseAsync(db => db.Set<Project>().Where(p => p.Id == projectId).Select(p => p.Name).SingleAsync()));
    }

    [Fact]
    public async Task ListCompanies_LimitOfAMillion_400()
    {
        Assert.True((await (await (await AdminAsync()).GetAsync("api/admin/companies?limit=1000000")).FieldErrorsAsync()).TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task ListCompanies_TwoPages_EveryCompanyOnce()
    {
        var admin = await AdminAsync();
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync("api/admin/companies?limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var all = await _server.WithDatabaseAsync(db => db.Set<Company>().Select(c => c.Id).ToListAsync());
        Assert.Equal(all.Order(), seen.Order());
    }
}
