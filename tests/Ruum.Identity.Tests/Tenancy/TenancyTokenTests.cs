using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ruum.Identity.Tests.Tenancy;

public sealed class TenancyTokenTests(TenancyFixture fixture, ITestOutputHelper output) : IClassFixture<TenancyFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task AccessAndIdToken_SeededOwner_CarryActiveCompanyAndItsProjectRoles()
    {
        var tokens = await fixture.TokensForAsync(DevelopmentSeed.OwnerEmail);

        foreach (var token in new[] { tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("id_token").GetString()! })
        {
            var claims = Jwt.Payload(token);
            Assert.Equal(fixture.Acme.ToString(), claims.GetProperty("company_id").GetString());
            Assert.Equal("owner", claims.GetProperty("company_role").GetString());
            var projects = claims.GetProperty("project_roles");
            Assert.Equal(JsonValueKind.Object, projects.ValueKind);
            Assert.Equal("manager", projects.GetProperty(fixture.TorreNorte).GetString());
            Assert.Equal("manager", projects.GetProperty(fixture.ResidencialSur).GetString());
            Assert.Equal(2, projects.EnumerateObject().Count());
            Assert.Equal(DevelopmentSeed.OwnerEmail, claims.GetProperty("email").GetString());
            Assert.False(claims.TryGetProperty("permissions", out _), "permissions needs scope ruum.permissions");
            // The seeded owner is also a platform admin (the admin API's Development seed).
            Assert.Equal(["platform_admin"], claims.GetProperty("role").EnumerateArray().Select(r => r.GetString()));
        }
    }

    [Fact]
    public async Task AccessToken_SeededMember_CarriesTheirOwnRoles()
    {
        var claims = Jwt.Payload(await fixture.AccessTokenForAsync(DevelopmentSeed.MemberEmail));

        Assert.Equal("member", claims.GetProperty("company_role").GetString());
        Assert.Equal("viewer", claims.GetProperty("project_roles").GetProperty(fixture.TorreNorte).GetString());
        Assert.Equal("editor", claims.GetProperty("project_roles").GetProperty(fixture.ResidencialSur).GetString());
    }

    [Fact]
    public async Task AccessToken_PermissionsScope_CarriesCompanyRolePermissions()
    {
        var tokens = await fixture.TokensForAsync(DevelopmentSeed.OwnerEmail, scope: "openid profile email offline_access ruum.api ruum.permissions");

        var permissions = Jwt.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("permissions")
            .EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("company.manage", permissions);
        Assert.Contains("members.manage", permissions);
        Assert.Contains("platform.manage", permissions); // the seeded owner is also a platform admin
    }

    [Fact]
    public async Task AccessToken_PlatformAdminWithoutCompany_CarriesRoleAndNoCompany()
    {
        var user = await _server.CreateUserAsync();
        await _server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().GrantPlatformRoleAsync(user.Id, RoleCatalogue.PlatformAdmin));

        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password, scope: "openid ruum.api ruum.permissions");

        var claims = Jwt.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(["platform_admin"], claims.GetProperty("role").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["platform.manage"], claims.GetProperty("permissions").EnumerateArray().Select(r => r.GetString()));
        Assert.False(claims.TryGetProperty("company_id", out _));
        Assert.False(claims.TryGetProperty("project_roles", out _));
    }

    [Fact]
    public async Task AccessToken_MemberOfTwoCompanies_CarriesOnlyTheActiveCompanysProjects()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        await _server.WithServicesAsync(async s =>
        {
            var directory = s.GetRequiredService<TenancyDirectory>();
            await directory.SetProjectRoleAsync(user.Id, fixture.TorreNorte, RoleCatalogue.ProjectEditor);
            await directory.SetProjectRoleAsync(user.Id, fixture.BetaProject, RoleCatalogue.ProjectManager);
        });

        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password, extra: new Dictionary<string, string?> { ["company_id"] = fixture.Beta.ToString() });

        var claims = Jwt.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(fixture.Beta.ToString(), claims.GetProperty("company_id").GetString());
        var projects = claims.GetProperty("project_roles").EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
        Assert.Equal([(fixture.BetaProject, "manager")], projects);
    }

    [Fact]
    public async Task Refresh_ProjectMembershipRemoved_ProjectDisappearsAndCompanyStays()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme);
        await _server.WithServicesAsync(async s =>
        {
            var directory = s.GetRequiredService<TenancyDirectory>();
            await directory.SetProjectRoleAsync(user.Id, fixture.TorreNorte, RoleCatalogue.ProjectEditor);
            await directory.SetProjectRoleAsync(user.Id, fixture.ResidencialSur, RoleCatalogue.ProjectViewer);
        });
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password);

        await _server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().RemoveFromProjectAsync(user.Id, fixture.TorreNorte));
        var refreshed = await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).JsonAsync();

        var claims = Jwt.Payload(refreshed.GetProperty("access_token").GetString()!);
        Assert.Equal(fixture.Acme.ToString(), claims.GetProperty("company_id").GetString());
        var projects = claims.GetProperty("project_roles").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal([fixture.ResidencialSur], projects);
    }

    [Fact]
    public async Task Refresh_RoleChanged_NewRoleAppearsAndCompanyIsKept()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password, extra: new Dictionary<string, string?> { ["company_id"] = fixture.Beta.ToString() });

        await _server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().SetCompanyRoleAsync(user.Id, fixture.Beta, RoleCatalogue.CompanyAdmin));
        var first = await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).JsonAsync();
        var second = await (await _server.RefreshAsync(first.GetProperty("refresh_token").GetString()!)).JsonAsync();

        var claims = Jwt.Payload(second.GetProperty("access_token").GetString()!);
        Assert.Equal(fixture.Beta.ToString(), claims.GetProperty("company_id").GetString());
        Assert.Equal("admin", claims.GetProperty("company_role").GetString());
    }

    [Fact]
    public async Task Refresh_CompanyMembershipRemoved_CompanyClaimsDisappear()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme);
        await _server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().SetProjectRoleAsync(user.Id, fixture.TorreNorte, RoleCatalogue.ProjectEditor));
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password);

        await _server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().RemoveFromCompanyAsync(user.Id, fixture.Acme));
        var refreshed = await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).JsonAsync();

        var claims = Jwt.Payload(refreshed.GetProperty("access_token").GetString()!);
        Assert.False(claims.TryGetProperty("company_id", out _));
        Assert.False(claims.TryGetProperty("company_role", out _));
        Assert.False(claims.TryGetProperty("project_roles", out _));
        var left = await _server.WithDatabaseAsync(db => db.Set<ProjectMembership>().CountAsync(m => m.UserId == user.Id));
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task Refresh_UserDisabled_FailsWithInvalidGrant()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme);
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password);

        await _server.WithDatabaseAsync(db => db.Set<Features.Users.User>().Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.IsEnabled, false)));
        var response = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AccessToken_TwoHundredProjectsInActiveCompany_StaysUnderEightKilobytes()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyOwner, fixture.Beta);
        await _server.WithServicesAsync(async s =>
        {
            var db = s.GetRequiredService<RuumDbContext>();
            var manager = RoleCatalogue.Roles.Single(r => r.Scope == RoleScope.Project && r.Name == RoleCatalogue.ProjectManager).Id;
            var now = _server.Clock.GetUtcNow();
            for (var i = 0; i < 200; i++)
            {
                var project = new Project { CompanyId = fixture.Beta, Name = $"Size test {i}", CreatedAt = now };
                db.Add(project);
                // "manager" is the longest project role name: the worst case for size.
                db.Add(new ProjectMembership { UserId = user.Id, ProjectId = project.Id, CompanyId = fixture.Beta, RoleId = manager, CreatedAt = now });
            }
            await db.SaveChangesAsync();
        });

        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password,
            scope: "openid profile email offline_access ruum.api ruum.permissions");

        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var idToken = tokens.GetProperty("id_token").GetString()!;
        output.WriteLine($"Access token with 200 project memberships (+ permissions): {accessToken.Length} bytes; ID token: {idToken.Length} bytes.");
        Assert.Equal(200, Jwt.Payload(accessToken).GetProperty("project_roles").EnumerateObject().Count());
        Assert.True(accessToken.Length < 8 * 1024, $"The access token is {accessToken.Length} bytes.");
    }
}
