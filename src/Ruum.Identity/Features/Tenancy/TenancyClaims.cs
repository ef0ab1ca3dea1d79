using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>What a user's tokens say about tenancy, read fresh from the database at every issue and refresh.</summary>
public sealed record TenancySnapshot(
    IReadOnlyList<string> PlatformRoles,
    ActiveCompany? Company,
    IReadOnlyList<string> Permissions);

/// <summary>The active company: the user's role in it and in each of its projects they belong to (and no other company's).</summary>
public sealed record ActiveCompany(Guid Id, string Role, IReadOnlyDictionary<string, string> ProjectRoles);

public sealed class TenancyClaims(RuumDbContext db)
{
    /// <param name="companyId">The active company; a company the user no longer belongs to is simply absent from the result.</param>
    /// <remarks>
    /// Runs on every refresh, so it costs at most two round trips: the user's roles (platform and active company) with
    /// their permissions in one query, then the project roles when the user is still in the company.
    /// </remarks>
    public async Task<TenancySnapshot> LoadAsync(Guid userId, Guid? companyId, CancellationToken cancellationToken)
    {
        var roles = await (
            from role in db.Set<Role>()
            let inPlatform = db.Set<PlatformRoleAssignment>().Any(a => a.UserId == userId && a.RoleId == role.Id)
            let inCompany = companyId != null
                && db.Set<CompanyMembership>().Any(m => m.UserId == userId && m.CompanyId == companyId && m.RoleId == role.Id)
            where inPlatform || inCompany
            from grant in db.Set<RolePermission>().Where(rp => rp.RoleId == role.Id).DefaultIfEmpty()
            select new { role.Name, InPlatform = inPlatform, InCompany = inCompany, Permission = grant == null ? null : grant.PermissionName })
            .ToListAsync(cancellationToken);

        ActiveCompany? company = null;
        if (companyId is { } id && roles.FirstOrDefault(r => r.InCompany) is { } membership)
        {
            var projects = await (
                from m in db.Set<ProjectMembership>()
                join role in db.Set<Role>() on m.RoleId equals role.Id
                where m.UserId == userId && m.CompanyId == id
                orderby m.ProjectId
                select new { m.ProjectId, role.Name }).ToListAsync(cancellationToken);
            company = new ActiveCompany(id, membership.Name, projects.ToDictionary(p => p.ProjectId, p => p.Name, StringComparer.Ordinal));
        }

        var platformRoles = roles.Where(r => r.InPlatform).Select(r => r.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var permissions = roles.Where(r => r.Permission is not null).Select(r => r.Permission!).Distinct().Order(StringComparer.Ordinal).ToList();
        return new TenancySnapshot(platformRoles, company, permissions);
    }
}
