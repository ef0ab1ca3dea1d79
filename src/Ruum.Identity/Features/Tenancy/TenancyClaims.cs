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
    public async Task<TenancySnapshot> LoadAsync(Guid userId, Guid? companyId, CancellationToken cancellationToken)
    {
        var platform = await (
            from assignment in db.Set<PlatformRoleAssignment>()
            join role in db.Set<Role>() on assignment.RoleId equals role.Id
            where assignment.UserId == userId
            select new { role.Id, role.Name }).ToListAsync(cancellationToken);

        var roleIds = platform.Select(r => r.Id).ToList();
        ActiveCompany? company = null;
        if (companyId is { } id)
        {
            var membership = await (
                from m in db.Set<CompanyMembership>()
                join role in db.Set<Role>() on m.RoleId equals role.Id
                where m.UserId == userId && m.CompanyId == id
                select new { role.Id, role.Name }).SingleOrDefaultAsync(cancellationToken);
            if (membership is not null)
            {
                var projects = await (
                    from m in db.Set<ProjectMembership>()
                    join role in db.Set<Role>() on m.RoleId equals role.Id
                    where m.UserId == userId && m.CompanyId == id
                    orderby m.ProjectId
                    select new { m.ProjectId, role.Name }).ToListAsync(cancellationToken);
                company = new ActiveCompany(id, membership.Name, projects.ToDictionary(p => p.ProjectId, p => p.Name, StringComparer.Ordinal));
                roleIds.Add(membership.Id);
            }
        }

        var permissions = await db.Set<RolePermission>()
            .Where(rp => roleIds.Contains(rp.RoleId))
            .Select(rp => rp.PermissionName)
            .Distinct()
            .OrderBy(p => p)
            .ToListAsync(cancellationToken);
        return new TenancySnapshot(platform.Select(r => r.Name).Order(StringComparer.Ordinal).ToList(), company, permissions);
    }
}
