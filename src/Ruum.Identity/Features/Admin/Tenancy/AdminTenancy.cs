using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Tenancy;

/// <summary>
/// Companies, their projects and who belongs to them, with roles from the catalogue. Platform admins manage every
/// company; a company owner or admin manages only their own: anything of another company is answered exactly as a
/// missing id (404), so nothing about it leaks. Creating and deleting companies is the platform's.
/// </summary>
public sealed class AdminTenancy(RuumDbContext db, TimeProvider time, AdminAudit audit)
{
    // Companies

    public async Task<Page<CompanyView>> ListCompaniesAsync(AdminCaller caller, AdminPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(page);
        var after = page.After;
        var all = caller.IsPlatformAdmin;
        var administered = caller.AdministeredCompanies.ToList();
        // Keyed by the id's text: ordered and compared the same way on PostgreSQL and SQLite.
        var rows = await db.Set<Company>().AsNoTracking()
            .Where(c => all || administered.Contains(c.Id))
            .Where(c => after == null || c.Id.ToString().CompareTo(after) > 0)
            .OrderBy(c => c.Id.ToString()).Take(page.Limit + 1)
            .Select(c => new CompanyView(c.Id, c.Name, c.CreatedAt)).ToListAsync(cancellationToken);
        return Pages.Of(rows, page.Limit, c => c.Id.ToString());
    }

    public async Task<AdminResult<CompanyView>> GetCompanyAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken) =>
        await FindCompanyAsync(caller, id, cancellationToken) is { } company ? View(company) : AdminError.NotFound("company");

    public async Task<AdminResult<CompanyView>> CreateCompanyAsync(AdminCaller caller, CompanyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (CheckName(input.Name) is { } invalid)
        {
            return invalid;
        }
        if (!caller.IsPlatformAdmin)
        {
            return PlatformOnly("Only platform admins create companies.");
        }
        var company = new Company { Name = input.Name!.Trim(), CreatedAt = time.GetUtcNow() };
        db.Add(company);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminCompanyCreated, "company:" + company.Id, new { name = company.Name }, company.Id, cancellationToken);
        return View(company);
    }

    public async Task<AdminResult<CompanyView>> UpdateCompanyAsync(AdminCaller caller, Guid id, CompanyInput input, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindCompanyAsync(caller, id, cancellationToken) is not { } company)
        {
            return AdminError.NotFound("company");
        }
        if (CheckName(input.Name) is { } invalid)
        {
            return invalid;
        }
        if (!isCurrent(View(company).Version))
        {
            return AdminError.Stale;
        }
        company.Name = input.Name!.Trim();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminCompanyUpdated, "company:" + id, new { name = company.Name }, id, cancellationToken);
        return View(company);
    }

    /// <summary>Deleting a company removes its projects and memberships with it (cascades); its people keep their accounts.</summary>
    public async Task<AdminError?> DeleteCompanyAsync(AdminCaller caller, Guid id, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindCompanyAsync(caller, id, cancellationToken) is not { } company)
        {
            return AdminError.NotFound("company");
        }
        if (!caller.IsPlatformAdmin)
        {
            return PlatformOnly("Only platform admins delete companies.");
        }
        if (!isCurrent(View(company).Version))
        {
            return AdminError.Stale;
        }
        db.Remove(company);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminCompanyDeleted, "company:" + id, companyId: id, cancellationToken: cancellationToken);
        return null;
    }

    // Projects

    public async Task<AdminResult<Page<ProjectView>>> ListProjectsAsync(AdminCaller caller, Guid companyId, AdminPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (await FindCompanyAsync(caller, companyId, cancellationToken) is null)
        {
            return AdminError.NotFound("company");
        }
        var after = page.After;
        var rows = await db.Set<Project>().AsNoTracking()
            .Where(p => p.CompanyId == companyId && (after == null || p.Id.CompareTo(after) > 0))
            .OrderBy(p => p.Id).Take(page.Limit + 1)
            .Select(p => new ProjectView(p.Id, p.CompanyId, p.Name, p.CreatedAt)).ToListAsync(cancellationToken);
        return Pages.Of(rows, page.Limit, p => p.Id);
    }

    public async Task<AdminResult<ProjectView>> GetProjectAsync(AdminCaller caller, string id, CancellationToken cancellationToken) =>
        await FindProjectAsync(caller, id, cancellationToken) is { } project ? View(project) : AdminError.NotFound("project");

    public async Task<AdminResult<ProjectView>> CreateProjectAsync(AdminCaller caller, Guid companyId, ProjectInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await FindCompanyAsync(caller, companyId, cancellationToken) is null)
        {
            return AdminError.NotFound("company");
        }
        if (CheckName(input.Name) is { } invalid)
        {
            return invalid;
        }
        var project = new Project { CompanyId = companyId, Name = input.Name!.Trim(), CreatedAt = time.GetUtcNow() };
        db.Add(project);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminProjectCreated, "project:" + project.Id, new { name = project.Name }, companyId, cancellationToken);
        return View(project);
    }

    public async Task<AdminResult<ProjectView>> UpdateProjectAsync(AdminCaller caller, string id, ProjectInput input, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindProjectAsync(caller, id, cancellationToken) is not { } project)
        {
            return AdminError.NotFound("project");
        }
        if (CheckName(input.Name) is { } invalid)
        {
            return invalid;
        }
        if (!isCurrent(View(project).Version))
        {
            return AdminError.Stale;
        }
        project.Name = input.Name!.Trim();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminProjectUpdated, "project:" + id, new { name = project.Name }, project.CompanyId, cancellationToken);
        return View(project);
    }

    public async Task<AdminError?> DeleteProjectAsync(AdminCaller caller, string id, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindProjectAsync(caller, id, cancellationToken) is not { } project)
        {
            return AdminError.NotFound("project");
        }
        if (!isCurrent(View(project).Version))
        {
            return AdminError.Stale;
        }
        db.Remove(project);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminProjectDeleted, "project:" + id, companyId: project.CompanyId, cancellationToken: cancellationToken);
        return null;
    }

    // Memberships

    public async Task<AdminResult<Page<MemberView>>> ListCompanyMembersAsync(AdminCaller caller, Guid companyId, AdminPage page,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (await FindCompanyAsync(caller, companyId, cancellationToken) is null)
        {
            return AdminError.NotFound("company");
        }
        var after = page.After;
        var rows = await (from m in db.Set<CompanyMembership>()
                          join u in db.Set<User>() on m.UserId equals u.Id
                          join r in db.Set<Role>() on m.RoleId equals r.Id
                          where m.CompanyId == companyId && (after == null || u.NormalizedEmail.CompareTo(after) > 0)
                          orderby u.NormalizedEmail
                          select new { u.NormalizedEmail, Member = new MemberView(u.Id, u.Email, u.DisplayName, r.Name) })
            .Take(page.Limit + 1).ToListAsync(cancellationToken);
        var paged = Pages.Of(rows, page.Limit, r => r.NormalizedEmail);
        return new Page<MemberView>([.. paged.Items.Select(r => r.Member)], paged.NextCursor);
    }

    public async Task<AdminResult<Page<MemberView>>> ListProjectMembersAsync(AdminCaller caller, string projectId, AdminPage page,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (await FindProjectAsync(caller, projectId, cancellationToken) is null)
        {
            return AdminError.NotFound("project");
        }
        var after = page.After;
        var rows = await (from m in db.Set<ProjectMembership>()
                          join u in db.Set<User>() on m.UserId equals u.Id
                          join r in db.Set<Role>() on m.RoleId equals r.Id
                          where m.ProjectId == projectId && (after == null || u.NormalizedEmail.CompareTo(after) > 0)
                          orderby u.NormalizedEmail
                          select new { u.NormalizedEmail, Member = new MemberView(u.Id, u.Email, u.DisplayName, r.Name) })
            .Take(page.Limit + 1).ToListAsync(cancellationToken);
        var paged = Pages.Of(rows, page.Limit, r => r.NormalizedEmail);
        return new Page<MemberView>([.. paged.Items.Select(r => r.Member)], paged.NextCursor);
    }

    /// <summary>
    /// Adds a person to the company or changes their role. A company admin changes the roles of people already in
    /// their company (new people arrive by invitation, so an admin cannot probe who has an account); only an owner or
    /// the platform gives or takes the owner role.
    /// </summary>
    public async Task<AdminResult<MemberView>> SetCompanyMemberAsync(AdminCaller caller, Guid companyId, Guid userId, MembershipInput input,
        Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindCompanyAsync(caller, companyId, cancellationToken) is null)
        {
            return AdminError.NotFound("company");
        }
        var membership = await db.Set<CompanyMembership>().SingleOrDefaultAsync(m => m.CompanyId == companyId && m.UserId == userId, cancellationToken);
        if (membership is null && (!caller.IsPlatformAdmin || !await db.Set<User>().AnyAsync(u => u.Id == userId, cancellationToken)))
        {
            return AdminError.NotFound("member");
        }
        if (await RoleAsync(RoleScope.Company, input.Role, cancellationToken) is not { } role)
        {
            return AdminError.Field("role", "Name a company role of the catalogue (GET /api/admin/roles).");
        }
        var current = membership is null ? null : await db.Set<Role>().Where(r => r.Id == membership.RoleId).Select(r => r.Name).SingleAsync(cancellationToken);
        if (membership is not null && !isCurrent(TenancyVersions.Of(userId.ToString(), current!)))
        {
            return AdminError.Stale;
        }
        if ((role.Name == RoleCatalogue.CompanyOwner || current == RoleCatalogue.CompanyOwner) && !await MayManageOwnersAsync(caller, companyId, cancellationToken))
        {
            return PlatformOnly("Only an owner of the company or a platform admin gives or takes the owner role.");
        }
        if (membership is null)
        {
            db.Add(new CompanyMembership { UserId = userId, CompanyId = companyId, RoleId = role.Id, CreatedAt = time.GetUtcNow() });
        }
        else
        {
            membership.RoleId = role.Id;
        }
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminMembershipSet, $"company:{companyId}/user:{userId}",
            new { role = role.Name, previous = current }, companyId, cancellationToken);
        return await MemberAsync(userId, role.Name, cancellationToken);
    }

    public async Task<AdminError?> RemoveCompanyMemberAsync(AdminCaller caller, Guid companyId, Guid userId, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindCompanyAsync(caller, companyId, cancellationToken) is null)
        {
            return AdminError.NotFound("company");
        }
        var current = await (from m in db.Set<CompanyMembership>()
                             join r in db.Set<Role>() on m.RoleId equals r.Id
                             where m.CompanyId == companyId && m.UserId == userId
                             select r.Name).SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return AdminError.NotFound("member");
        }
        if (!isCurrent(TenancyVersions.Of(userId.ToString(), current)))
        {
            return AdminError.Stale;
        }
        if (current == RoleCatalogue.CompanyOwner && !await MayManageOwnersAsync(caller, companyId, cancellationToken))
        {
            return PlatformOnly("Only an owner of the company or a platform admin removes an owner.");
        }
        // The user's project memberships in this company go with it (cascade).
        await db.Set<CompanyMembership>().Where(m => m.CompanyId == companyId && m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminMembershipRemoved, $"company:{companyId}/user:{userId}", new { previous = current },
            companyId, cancellationToken);
        return null;
    }

    /// <summary>A project role needs a membership of the project's company first (as the database also insists).</summary>
    public async Task<AdminResult<MemberView>> SetProjectMemberAsync(AdminCaller caller, string projectId, Guid userId, MembershipInput input,
        Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindProjectAsync(caller, projectId, cancellationToken) is not { } project)
        {
            return AdminError.NotFound("project");
        }
        if (!await db.Set<CompanyMembership>().AnyAsync(m => m.CompanyId == project.CompanyId && m.UserId == userId, cancellationToken))
        {
            return AdminError.NotFound("member of the project's company");
        }
        if (await RoleAsync(RoleScope.Project, input.Role, cancellationToken) is not { } role)
        {
            return AdminError.Field("role", "Name a project role of the catalogue (GET /api/admin/roles).");
        }
        var membership = await db.Set<ProjectMembership>().SingleOrDefaultAsync(m => m.ProjectId == projectId && m.UserId == userId, cancellationToken);
        var current = membership is null ? null : await db.Set<Role>().Where(r => r.Id == membership.RoleId).Select(r => r.Name).SingleAsync(cancellationToken);
        if (membership is not null && !isCurrent(TenancyVersions.Of(userId.ToString(), current!)))
        {
            return AdminError.Stale;
        }
        if (membership is null)
        {
            db.Add(new ProjectMembership { UserId = userId, ProjectId = projectId, CompanyId = project.CompanyId, RoleId = role.Id, CreatedAt = time.GetUtcNow() });
        }
        else
        {
            membership.RoleId = role.Id;
        }
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminMembershipSet, $"project:{projectId}/user:{userId}",
            new { role = role.Name, previous = current }, project.CompanyId, cancellationToken);
        return await MemberAsync(userId, role.Name, cancellationToken);
    }

    public async Task<AdminError?> RemoveProjectMemberAsync(AdminCaller caller, string projectId, Guid userId, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindProjectAsync(caller, projectId, cancellationToken) is not { } project)
        {
            return AdminError.NotFound("project");
        }
        var current = await (from m in db.Set<ProjectMembership>()
                             join r in db.Set<Role>() on m.RoleId equals r.Id
                             where m.ProjectId == projectId && m.UserId == userId
                             select r.Name).SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return AdminError.NotFound("member");
        }
        if (!isCurrent(TenancyVersions.Of(userId.ToString(), current)))
        {
            return AdminError.Stale;
        }
        await db.Set<ProjectMembership>().Where(m => m.ProjectId == projectId && m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminMembershipRemoved, $"project:{projectId}/user:{userId}", new { previous = current },
            project.CompanyId, cancellationToken);
        return null;
    }

    private async Task<Company?> FindCompanyAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Administers(id) ? await db.Set<Company>().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
    }

    private async Task<Project?> FindProjectAsync(AdminCaller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var project = id.Length == Project.IdLength ? await db.Set<Project>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) : null;
        return project is not null && caller.Administers(project.CompanyId) ? project : null;
    }

    private async Task<Role?> RoleAsync(RoleScope scope, string? name, CancellationToken cancellationToken) =>
        name is null ? null : await db.Set<Role>().AsNoTracking().SingleOrDefaultAsync(r => r.Scope == scope && r.Name == name, cancellationToken);

    private async Task<bool> MayManageOwnersAsync(AdminCaller caller, Guid companyId, CancellationToken cancellationToken) =>
        caller.IsPlatformAdmin || await (from m in db.Set<CompanyMembership>()
                                         join r in db.Set<Role>() on m.RoleId equals r.Id
                                         where m.CompanyId == companyId && m.UserId == caller.UserId && r.Name == RoleCatalogue.CompanyOwner
                                               && r.Scope == RoleScope.Company
                                         select m).AnyAsync(cancellationToken);

    private async Task<MemberView> MemberAsync(Guid userId, string role, CancellationToken cancellationToken) =>
        await db.Set<User>().Where(u => u.Id == userId).Select(u => new MemberView(u.Id, u.Email, u.DisplayName, role)).SingleAsync(cancellationToken);

    private static AdminError? CheckName(string? name) =>
        name is null || name.Trim().Length is 0 or > 200 || name.Any(char.IsControl)
            ? AdminError.Field("name", "1 to 200 characters, without control characters.")
            : null;

    private static AdminError PlatformOnly(string detail) => new(StatusCodes.Status403Forbidden, detail);

    private static CompanyView View(Company company) => new(company.Id, company.Name, company.CreatedAt);

    private static ProjectView View(Project project) => new(project.Id, project.CompanyId, project.Name, project.CreatedAt);
}
