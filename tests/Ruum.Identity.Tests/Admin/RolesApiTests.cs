using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>The role catalogue: read by every admin, extended by platform admins with sets of existing permissions.</summary>
public sealed class RolesApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private static readonly string[] EditorPermissions = ["members.read", "project.read", "project.write"];
    private static readonly string[] ProjectRead = ["project.read"];
    private static readonly string[] Unknown = ["everything.do"];
    private static readonly string[] CompanyRead = ["company.read"];
    private static readonly string[] CompanyManage = ["company.manage"];

    private async Task<HttpClient> AdminAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    [Fact]
    public async Task Read_Catalogue_ListsTheDefaultRolesWithTheirPermissions()
    {
        var catalogue = await (await (await AdminAsync()).GetAsync("api/admin/roles")).JsonAsync();

        var editor = catalogue.GetProperty("roles").EnumerateArray()
            .Single(r => r.GetProperty("scope").GetString() == "project" && r.GetProperty("name").GetString() == "editor");
        Assert.Equal(EditorPermissions, editor.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains(catalogue.GetProperty("permissions").EnumerateArray(), p => p.GetProperty("name").GetString() == "platform.manage");
    }

    [Fact]
    public async Task Create_ProjectRoleOfExistingPermissions_201AndUsableForMemberships()
    {
        var name = "auditor_" + Guid.NewGuid().ToString("N")[..8];
        var admin = await AdminAsync();

        var response = await admin.PostJsonAsync("api/admin/roles",
            new { scope = "project", name, description = "Reads projects for audits.", permissions = ProjectRead });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var companyId = await _server.CreateCompanyAsync();
        var projectId = await TenancyApiTests.CreateProjectAsync(_server, companyId);
        var user = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyMember);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJsonAsync($"api/admin/projects/{projectId}/members/{user.Id}", new { role = name })).StatusCode);
    }

    [Fact]
    public async Task Create_UnknownPermissionOrDuplicateName_400Or409AndNothingAdded()
    {
        var admin = await AdminAsync();
        var before = await _server.WithDatabaseAsync(db => db.Set<Role>().CountAsync());

        var unknown = await admin.PostJsonAsync("api/admin/roles",
            new { scope = "company", name = "godmode", description = "Everything.", permissions = Unknown });
        var duplicate = await admin.PostJsonAsync("api/admin/roles",
            new { scope = "company", name = "viewer", description = "Again.", permissions = CompanyRead });

        Assert.True((await unknown.FieldErrorsAsync()).TryGetProperty("permissions", out _));
        await duplicate.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(before, await _server.WithDatabaseAsync(db => db.Set<Role>().CountAsync()));
    }

    [Fact]
    public async Task Create_CompanyAdmin_403AndNothingAdded()
    {
        var companyAdmin = await _server.CreateCompanyUserAsync(await _server.CreateCompanyAsync(), RoleCatalogue.CompanyAdmin);
        var client = _server.AdminHttp(await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), companyAdmin.Email));
        var name = "sneaky_" + Guid.NewGuid().ToString("N")[..8];

        var response = await client.PostJsonAsync("api/admin/roles",
            new { scope = "company", name, description = "Mine.", permissions = CompanyManage });

        await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<Role>().AnyAsync(r => r.Name == name)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/admin/roles")).StatusCode);
    }
}
