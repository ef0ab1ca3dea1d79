using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Onboarding;

namespace Ruum.Identity.Tests.Admin;

/// <summary>
/// The cross-company matrix: every tenancy endpoint × {own company, other company, missing id}, called by a company
/// admin. Another company's things answer exactly as missing ones (same status, same problem), and nothing changes.
/// </summary>
public sealed class TenancyMatrixTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    /// <summary>Method, path ({company}, {project}, {user}, {invitation} filled in, also in the body), body.</summary>
    private static readonly (string Method, string Path, string? Body)[] Endpoints =
    [
        ("GET", "api/admin/companies/{company}", null),
        ("PATCH", "api/admin/companies/{company}", """{"name":"Renamed"}"""),
        ("GET", "api/admin/companies/{company}/policy", null),
        ("PUT", "api/admin/companies/{company}/policy", """{"secondFactors":"authenticator","trustedDevices":false,"maxSessionMinutes":30}"""),
        ("GET", "api/admin/companies/{company}/projects", null),
        ("POST", "api/admin/companies/{company}/projects", """{"name":"Injected"}"""),
        ("GET", "api/admin/companies/{company}/members", null),
        ("PUT", "api/admin/companies/{company}/members/{user}", """{"role":"viewer"}"""),
        ("GET", "api/admin/projects/{project}", null),
        ("PATCH", "api/admin/projects/{project}", """{"name":"Renamed"}"""),
        ("GET", "api/admin/projects/{project}/members", null),
        ("PUT", "api/admin/projects/{project}/members/{user}", """{"role":"viewer"}"""),
        ("DELETE", "api/admin/projects/{project}/members/{user}", null),
        ("POST", "api/admin/users/invitations", """{"email":"{email}","displayName":"Invited","companyId":"{company}","role":"member","projectId":"{project}","projectRole":"viewer"}"""),
        ("POST", "api/admin/users/invitations/{invitation}/resend", null),
        ("DELETE", "api/admin/users/invitations/{invitation}", null),
        ("DELETE", "api/admin/projects/{project}", null),
        ("DELETE", "api/admin/companies/{company}/members/{user}", null),
        ("DELETE", "api/admin/companies/{company}", null),
    ];

    private sealed record Place(Guid Company, string Project, Guid User, Guid Invitation);

    private async Task<Place> PlaceAsync()
    {
        var company = await _server.CreateCompanyAsync();
        var project = await TenancyApiTests.CreateProjectAsync(_server, company);
        var user = await _server.CreateCompanyUserAsync(company, RoleCatalogue.CompanyMember);
        await _server.WithServicesAsync(s => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<TenancyDirectory>(s).SetProjectRoleAsync(user.Id, project, RoleCatalogue.ProjectEditor));
        var invitation = await _server.InviteAsync(TestData.UniqueEmail("matrix"), company, RoleCatalogue.CompanyMember, project, RoleCatalogue.ProjectViewer);
        return new Place(company, project, user.Id, invitation.GetProperty("id").GetGuid());
    }

    private static async Task<HttpResponseMessage> CallAsync(HttpClient client, (string Method, string Path, string? Body) endpoint, Place place)
    {
        string Fill(string text) => text.Replace("{company}", place.Company.ToString(), StringComparison.Ordinal)
            .Replace("{project}", place.Project, StringComparison.Ordinal).Replace("{user}", place.User.ToString(), StringComparison.Ordinal)
            .Replace("{invitation}", place.Invitation.ToString(), StringComparison.Ordinal)
            .Replace("{email}", TestData.UniqueEmail("matrix"), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), Fill(endpoint.Path));
        if (endpoint.Body is not null)
        {
            request.Content = new StringContent(Fill(endpoint.Body), Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }

    private Task<string> SnapshotAsync(Place place) => _server.WithDatabaseAsync(async db =>
    {
        var company = await db.Set<Company>().Where(c => c.Id == place.Company)
            .Select(c => c.Name + "/" + c.RequireAuthenticator + "/" + c.ForbidTrustedDevices + "/" + c.MaxSessionMinutes).SingleOrDefaultAsync();
        var projects = await db.Set<Project>().Where(p => p.CompanyId == place.Company).OrderBy(p => p.Id).Select(p => p.Id + "=" + p.Name).ToListAsync();
        var members = await db.Set<CompanyMembership>().Where(m => m.CompanyId == place.Company).OrderBy(m => m.UserId)
            .Select(m => m.UserId + ":" + m.RoleId).ToListAsync();
        var projectMembers = await db.Set<ProjectMembership>().Where(m => m.CompanyId == place.Company).OrderBy(m => m.UserId)
            .Select(m => m.UserId + ":" + m.ProjectId + ":" + m.RoleId).ToListAsync();
        var invitations = await db.Set<Invitation>().Where(i => i.CompanyId == place.Company).OrderBy(i => i.Id)
            .Select(i => i.Id + ":" + i.TokenHash + ":" + i.RevokedAt).ToListAsync();
        var users = await db.Set<Ruum.Identity.Features.Users.User>().CountAsync();
        var events = await db.Set<AuditEvent>().CountAsync(e => e.Details!.Contains(place.Company.ToString()) || e.Details!.Contains(place.Project));
        return $"{company}|{string.Join(',', projects)}|{string.Join(',', members)}|{string.Join(',', projectMembers)}|{string.Join(',', invitations)}|{users}|{events}";
    });

    [Fact]
    public async Task EveryEndpoint_OtherCompanyOrMissingId_Same404AndNothingChanged()
    {
        var own = await PlaceAsync();
        var other = await PlaceAsync();
        var missing = new Place(Guid.NewGuid(), "Zz9Zz9Zz9Z", Guid.NewGuid(), Guid.NewGuid());
        var companyAdmin = await _server.CreateCompanyUserAsync(own.Company, RoleCatalogue.CompanyAdmin);
        var client = _server.AdminHttp(await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), companyAdmin.Email));
        var before = await SnapshotAsync(other);

        foreach (var endpoint in Endpoints)
        {
            var toMissing = await CallAsync(client, endpoint, missing);
            var toOther = await CallAsync(client, endpoint, other);

            var missingProblem = await toMissing.ProblemAsync(HttpStatusCode.NotFound);
            var otherProblem = await toOther.ProblemAsync(HttpStatusCode.NotFound);
            Assert.True(missingProblem.GetProperty("detail").GetString() == otherProblem.GetProperty("detail").GetString(),
                $"{endpoint.Method} {endpoint.Path}: '{otherProblem}' differs from '{missingProblem}'");
        }

        Assert.Equal(before, await SnapshotAsync(other));
    }

    [Fact]
    public async Task EveryEndpoint_OwnCompany_AllowedExceptDeletingTheCompany()
    {
        var own = await PlaceAsync();
        var companyAdmin = await _server.CreateCompanyUserAsync(own.Company, RoleCatalogue.CompanyAdmin);
        var client = _server.AdminHttp(await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), companyAdmin.Email));

        foreach (var endpoint in Endpoints)
        {
            var response = await CallAsync(client, endpoint, own);

            var expected = endpoint is ("DELETE", "api/admin/companies/{company}", _) ? HttpStatusCode.Forbidden
                : endpoint.Method == "POST" && !endpoint.Path.EndsWith("/resend", StringComparison.Ordinal) ? HttpStatusCode.Created
                : endpoint.Method == "DELETE" ? HttpStatusCode.NoContent : HttpStatusCode.OK;
            Assert.True(expected == response.StatusCode, $"{endpoint.Method} {endpoint.Path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(await _server.WithDatabaseAsync(db => db.Set<Company>().AnyAsync(c => c.Id == own.Company)));
    }

    [Fact]
    public async Task GiveOwnerRole_CompanyAdminWhoIsNoOwner_403AndUnchanged()
    {
        var own = await PlaceAsync();
        var companyAdmin = await _server.CreateCompanyUserAsync(own.Company, RoleCatalogue.CompanyAdmin);
        var client = _server.AdminHttp(await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), companyAdmin.Email));

        var response = await client.PutJsonAsync($"api/admin/companies/{own.Company}/members/{companyAdmin.Id}", new { role = "owner" });

        await response.ProblemAsync(HttpStatusCode.Forbidden);
        var role = await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().Where(m => m.UserId == companyAdmin.Id)
            .Join(db.Set<Role>(), m => m.RoleId, r => r.Id, (m, r) => r.Name).SingleAsync());
        Assert.Equal(RoleCatalogue.CompanyAdmin, role);
    }
}
