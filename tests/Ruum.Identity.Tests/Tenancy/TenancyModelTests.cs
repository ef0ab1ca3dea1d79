using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tenancy;

public sealed class TenancyModelTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ProjectMembership_WithoutCompanyMembership_IsRefusedByServiceAndDatabase()
    {
        var user = await _server.CreateUserAsync();

        await _server.WithServicesAsync(async s =>
        {
            var directory = s.GetRequiredService<TenancyDirectory>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => directory.SetProjectRoleAsync(user.Id, fixture.TorreNorte, RoleCatalogue.ProjectEditor));
            var db = s.GetRequiredService<RuumDbContext>();
            db.Add(new ProjectMembership
            {
                UserId = user.Id,
                ProjectId = fixture.TorreNorte,
                CompanyId = fixture.Acme,
                RoleId = RoleCatalogue.Roles.Single(r => r.Scope == RoleScope.Project && r.Name == RoleCatalogue.ProjectEditor).Id,
            });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
        Assert.Equal(0, await _server.WithDatabaseAsync(db => db.Set<ProjectMembership>().CountAsync(m => m.UserId == user.Id)));
    }

    [Fact]
    public async Task ProjectMembership_ProjectOfAnotherCompany_IsRefusedByTheDatabase()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme);

        await _server.WithServicesAsync(async s =>
        {
            var db = s.GetRequiredService<RuumDbContext>();
            // Claims Acme for a Beta project: the composite key (project, company) does not exist.
            db.Add(new ProjectMembership
            {
                UserId = user.Id,
                ProjectId = fixture.BetaProject,
                CompanyId = fixture.Acme,
                RoleId = RoleCatalogue.Roles.Single(r => r.Scope == RoleScope.Project && r.Name == RoleCatalogue.ProjectManager).Id,
            });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
    }

    [Fact]
    public async Task Catalogue_AfterMigration_HoldsEveryDefaultRoleAndPermission()
    {
        var (roles, permissions) = await _server.WithDatabaseAsync(async db =>
            (await db.Set<Role>().CountAsync(), await db.Set<Permission>().CountAsync()));

        Assert.Equal(RoleCatalogue.Roles.Length, roles);
        Assert.Equal(RoleCatalogue.Permissions.Length, permissions);
    }

    [Fact]
    public async Task DevelopmentSeed_RunTwice_CreatesNothingTwice()
    {
        await _server.WithServicesAsync(s => s.GetRequiredService<DevelopmentSeed>().RunAsync());

        var member = Features.Users.EmailAddress.Normalize(DevelopmentSeed.MemberEmail);
        var counts = await _server.WithDatabaseAsync(async db => (
            await db.Set<Company>().CountAsync(c => c.Name == DevelopmentSeed.AcmeCompany),
            await db.Set<Project>().CountAsync(p => p.CompanyId == fixture.Acme),
            await db.Set<Features.Users.User>().CountAsync(u => u.NormalizedEmail == member)));
        Assert.Equal((1, 2, 1), counts);
    }

    [Fact]
    public void Model_BothProviders_HaveNoPendingChanges()
    {
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(postgres.Database.HasPendingModelChanges());
        Assert.False(sqlite.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task AccessToken_OnSqlite_CarriesTheSeededCompany()
    {
        await using var server = RuumServer.StartOnSqlite();

        var tokens = await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.MemberEmail, DevelopmentSeed.Password);

        var claims = Jwt.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal("member", claims.GetProperty("company_role").GetString());
        Assert.Equal(2, claims.GetProperty("project_roles").EnumerateObject().Count());
    }
}
