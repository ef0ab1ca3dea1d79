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
    /// Runs on every refresh, so it costs at most two round trips: the user's roles (platform and active company) with
    /// their permissions in one query, then the project roles when the user is still in the company.
    /// </remarks>
    public async Task<TenancySnapshot> LoadAsync(Guid userId, Guid? companyId, CancellationToken cancellationToken)
    {
        var roles = await queries.RolesOf(db, userId, companyId).ToListAsync(cancellationToken);

        ActiveCompany? company = null;
        if (companyId is { } id && roles.FirstOrDefault(r => r.InCompany) is { } membership)
        {
            var projects = await queries.ProjectRolesOf(db, userId, id).ToListAsync(cancellationToken);
            company = new ActiveCompany(id, membership.Name, projects.ToDictionary(p => p.ProjectId, p => p.Name, StringComparer.Ordinal));
        }

        var platformRoles = roles.Where(r => r.InPlatform).Select(r => r.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var permissions = roles.Where(r => r.Permission is not null).Select(r => r.Permission!).Distinct().Order(StringComparer.Ordinal).ToList();
        return new TenancySnapshot(platformRoles, company, permissions);
    }
}

/// <summary>
/// <see cref="TenancyClaims"/>' two queries, compiled once as they run on every refresh (EF would otherwise rebuild and
/// look up their expression trees each time). A singleton, not statics: see <see cref="Users.UserLookup"/>.
/// </summary>
public sealed class TenancyQueries
{
    public Func<RuumDbContext, Guid, Guid?, IAsyncEnumerable<RoleGrant>> RolesOf { get; } = EF.CompileAsyncQuery(
        (RuumDbContext db, Guid userId, Guid? companyId) =>
            from role in db.Set<Role>()
            let inPlatform = db.Set<PlatformRoleAssignment>().Any(a => a.UserId == userId && a.RoleId == role.Id)
            let inCompany = companyId != null
                && db.Set<CompanyMembership>().Any(m => m.UserId == userId && m.CompanyId == companyId && m.RoleId == role.Id)
            where inPlatform || inCompany
            from grant in db.Set<RolePermission>().Where(rp => rp.RoleId == role.Id).DefaultIfEmpty()
            select new RoleGrant(role.Name, inPlatform, inCompany, grant == null ? null : grant.PermissionName));

    public Func<RuumDbContext, Guid, Guid, IAsyncEnumerable<ProjectRole>> ProjectRolesOf { get; } = EF.CompileAsyncQuery(
        (RuumDbContext db, Guid userId, Guid companyId) =>
            from m in db.Set<ProjectMembership>()
            join role in db.Set<Role>() on m.RoleId equals role.Id
            where m.UserId == userId && m.CompanyId == companyId
            orderby m.ProjectId
            select new ProjectRole(m.ProjectId, role.Name));
}

/// <summary>One of a user's roles (in the platform or the active company), with one of its permissions.</summary>
public sealed record RoleGrant(string Name, bool InPlatform, bool InCompany, string? Permission);

/// <summary>The user's role in one project of the active company.</summary>
public sealed record ProjectRole(string ProjectId, string Name);
