using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Roles;
using Ruum.Identity.Features.Admin.Tenancy;

namespace Ruum.Identity.Features.AdminConsole.Companies;

/// <summary>
/// /admin/companies/{id}: a company's name, projects and members through <see cref="AdminTenancy"/>: another company's
/// id is a 404, as a missing one; who may give the owner role is the service's rule.
/// </summary>
public sealed class CompanyModel(AdminTenancy tenancy, AdminRoles roles) : ConsolePage
{
    public CompanyView Company { get; private set; } = null!;

    public IReadOnlyList<ProjectView> Projects { get; private set; } = [];

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public IReadOnlyList<string> CompanyRoles { get; private set; } = [];

    public string? NextCursor { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    [BindProperty]
    public string? UserId { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ?? Page();

    public async Task<IActionResult> OnPostRenameAsync(Guid id) =>
        await AfterAsync(id, (await tenancy.UpdateCompanyAsync(Caller, id, new CompanyInput { Name = Name }, Is(Version), Aborted)).Error, Text["Renamed."]);

    public async Task<IActionResult> OnPostCreateProjectAsync(Guid id)
    {
        var created = await tenancy.CreateProjectAsync(Caller, id, new ProjectInput { Name = Name }, Aborted);
        return created.Error is null ? Redirect($"/admin/projects/{created.Value!.Id}") : await AfterAsync(id, created.Error, null);
    }

    public async Task<IActionResult> OnPostSetRoleAsync(Guid id)
    {
        if (!Guid.TryParse(UserId, out var userId))
        {
            Problems.Add(Text["A user id is a GUID: copy it from the user's page."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(id) ?? Page();
        }
        // A new member has no version yet; a role change must name the one shown.
        var current = string.IsNullOrEmpty(Version) ? (_ => true) : Is(Version);
        var set = await tenancy.SetCompanyMemberAsync(Caller, id, userId, new MembershipInput { Role = Role }, current, Aborted);
        return await AfterAsync(id, set.Error, Text["The role was saved."]);
    }

    private async Task<IActionResult> AfterAsync(Guid id, Admin.AdminError? error, string? done)
    {
        if (Refused(error) is { } refusal)
        {
            return refusal;
        }
        var status = Response.StatusCode;
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }
        Response.StatusCode = status;
        Notice = error is null ? done : null;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var company = await tenancy.GetCompanyAsync(Caller, id, Aborted);
        if (Refused(company.Error) is { } refusal)
        {
            return refusal;
        }
        Company = company.Value!;
        var page = PageOf() ?? new Admin.AdminPage(Admin.AdminApi.DefaultPageSize, null);
        Projects = (await tenancy.ListProjectsAsync(Caller, id, new Admin.AdminPage(Admin.AdminApi.MaxPageSize, null), Aborted)).Value?.Items ?? [];
        var members = (await tenancy.ListCompanyMembersAsync(Caller, id, page, Aborted)).Value;
        (Members, NextCursor) = (members?.Items ?? [], members?.NextCursor);
        CompanyRoles = [.. (await roles.ReadAsync(Aborted)).Roles.Where(r => r.Scope == "company").Select(r => r.Name)];
        return null;
    }
}
