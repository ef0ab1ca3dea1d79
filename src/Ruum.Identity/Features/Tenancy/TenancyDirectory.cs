using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>
/// Creates companies and projects and places people in them. Each call is idempotent (find, else create;
/// set the role, else add the membership) so seeds and admin tools can run it again safely.
/// </summary>
public sealed class TenancyDirectory(RuumDbContext db, TimeProvider time)
{
    public async Task<Company> EnsureCompanyAsync(string name, CancellationToken cancellationToken = default)
    {
        var company = await db.Set<Company>().FirstOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (company is null)
        {
            company = new Company { Name = name, CreatedAt = time.GetUtcNow() };
            db.Add(company);
            await db.SaveChangesAsync(cancellationToken);
        }
        return company;
    }

    public async Task<Project> EnsureProjectAsync(Guid companyId, string name, CancellationToken cancellationToken = default)
    {
        var project = await db.Set<Project>().FirstOrDefaultAsync(p => p.CompanyId == companyId && p.Name == name, cancellationToken);
        if (project is null)
        {
            project = new Project { CompanyId = companyId, Name = name, CreatedAt = time.GetUtcNow() };
            db.Add(project);
            await db.SaveChangesAsync(cancellationToken);
        }
        return project;
    }

    public async Task SetCompanyRoleAsync(Guid userId, Guid companyId, string role, CancellationToken cancellationToken = default)
    {
        var roleId = await RoleIdAsync(RoleScope.Company, role, cancellationToken);
        var membership = await db.Set<CompanyMembership>()
            .SingleOrDefaultAsync(m => m.UserId == userId && m.CompanyId == companyId, cancellationToken);
        if (membership is null)
        {
            db.Add(new CompanyMembership { UserId = userId, CompanyId = companyId, RoleId = roleId, CreatedAt = time.GetUtcNow() });
        }
        else
        {
            membership.RoleId = roleId;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The user must already belong to the project's company: a project role never grants a company.</summary>
    public async Task SetProjectRoleAsync(Guid userId, string projectId, string role, CancellationToken cancellationToken = default)
    {
        var roleId = await RoleIdAsync(RoleScope.Project, role, cancellationToken);
        var companyId = await db.Set<Project>().Where(p => p.Id == projectId).Select(p => (Guid?)p.CompanyId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("The project does not exist.");
        if (!await db.Set<CompanyMembership>().AnyAsync(m => m.UserId == userId && m.CompanyId == companyId, cancellationToken))
        {
            throw new InvalidOperationException("The user is not a member of the project's company.");
        }
        var membership = await db.Set<ProjectMembership>()
            .SingleOrDefaultAsync(m => m.UserId == userId && m.ProjectId == projectId, cancellationToken);
        if (membership is null)
        {
            db.Add(new ProjectMembership { UserId = userId, ProjectId = projectId, CompanyId = companyId, RoleId = roleId, CreatedAt = time.GetUtcNow() });
        }
        else
        {
            membership.RoleId = roleId;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task GrantPlatformRoleAsync(Guid userId, string role, CancellationToken cancellationToken = default)
    {
        var roleId = await RoleIdAsync(RoleScope.Platform, role, cancellationToken);
        if (!await db.Set<PlatformRoleAssignment>().AnyAsync(a => a.UserId == userId && a.RoleId == roleId, cancellationToken))
        {
            db.Add(new PlatformRoleAssignment { UserId = userId, RoleId = roleId, CreatedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async Task RemoveFromProjectAsync(Guid userId, string projectId, CancellationToken cancellationToken = default) =>
        await db.Set<ProjectMembership>().Where(m => m.UserId == userId && m.ProjectId == projectId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Also removes the user's project memberships in that company (cascade).</summary>
    public async Task RemoveFromCompanyAsync(Guid userId, Guid companyId, CancellationToken cancellationToken = default) =>
        await db.Set<CompanyMembership>().Where(m => m.UserId == userId && m.CompanyId == companyId).ExecuteDeleteAsync(cancellationToken);

    private async Task<Guid> RoleIdAsync(RoleScope scope, string name, CancellationToken cancellationToken) =>
        await db.Set<Role>().Where(r => r.Scope == scope && r.Name == name).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"There is no {scope.ToString().ToLowerInvariant()} role named '{name}'.");
}
