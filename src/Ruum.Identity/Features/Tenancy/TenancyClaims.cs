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

public sealed class TenancyClaims(RuumDbContext db, TenancyQueries queries)
{
    /// <param name="companyId">The active company; a company the user no longer belongs to is simply absent from the result.</param>
    /// <remarks>
    /// Runs on every refresh, so it is one round trip: the user's roles (platform and active company) with their
    /// permissions, and their project roles in the active company, which count only while the user is still in it.
    /// </remarks>
    public async Task<TenancySnapshot> LoadAsync(Guid userId, Guid? companyId, CancellationToken cancellationToken)
    {
        var rows = await queries.TenancyOf(db, userId, companyId).ToListAsync(cancellationToken);
        var roles = rows.Where(r => r.ProjectId is null).ToList();

        ActiveCompany? company = null;
        if (companyId is { } id && roles.FirstOrDefault(r => r.InCompany) is { } membership)
        {
            var projectRoles = rows.Where(r => r.ProjectId is not null).OrderBy(r => r.ProjectId, StringComparer.Ordinal)
                .ToDictionary(r => r.ProjectId!, r => r.Name, StringComparer.Ordinal);
            company = new ActiveCompany(id, membership.Name, projectRoles);
        }

        var platformRoles = roles.Where(r => r.InPlatform).Select(r => r.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var permissions = roles.Where(r => r.Permission is not null).Select(r => r.Permission!).Distinct().Order(StringComparer.Ordinal).ToList();
        return new TenancySnapshot(platformRoles, company, permissions);
    }
}

/// <summary>
/// <see cref="TenancyClaims"/>' query, compiled once as it runs on every refresh (EF would otherwise rebuild and look
/// up its expression tree each time). A singleton, not a static: see <see cref="Users.UserLookup"/>.
/// </summary>
public sealed class TenancyQueries
{
    /// <summary>Each role with each of its permissions, then each project role in the active company (UNION ALL).</summary>
    public Func<RuumDbContext, Guid, Guid?, IAsyncEnumerable<TenancyRow>> TenancyOf { get; } = EF.CompileAsyncQuery(
        (RuumDbContext db, Guid userId, Guid? companyId) =>
            (from role in db.Set<Role>()
             let inPlatform = db.Set<PlatformRoleAssignment>().Any(a => a.UserId == userId && a.RoleId == role.Id)
             let inCompany = companyId != null
                 && db.Set<CompanyMembership>().Any(m => m.UserId == userId && m.CompanyId == companyId && m.RoleId == role.Id)
             where inPlatform || inCompany
             from grant in db.Set<RolePermission>().Where(rp => rp.RoleId == role.Id).DefaultIfEmpty()
             select new { role.Name, InPlatform = inPlatform, InCompany = inCompany, Permission = grant == null ? null : grant.PermissionName, ProjectId = (string?)null })
            .Concat(
                from m in db.Set<ProjectMembership>()
                join role in db.Set<Role>() on m.RoleId equals role.Id
                where m.UserId == userId && m.CompanyId == companyId
                select new { role.Name, InPlatform = false, InCompany = false, Permission = (string?)null, ProjectId = (string?)m.ProjectId })
            .Select(r => new TenancyRow(r.Name, r.InPlatform, r.InCompany, r.Permission, r.ProjectId)));
}

/// <summary>
/// A role of the user's (in the platform or the active company) with one of its permissions; or, with
/// <see cref="ProjectId"/>, their role in one project of the active company.
/// </summary>
public sealed record TenancyRow(string Name, bool InPlatform, bool InCompany, string? Permission, string? ProjectId);
