using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Roles;
using Ruum.Identity.Features.Admin.Tenancy;

namespace Ruum.Identity.Features.AdminConsole.Companies;

/// <summary>/admin/projects/{id}: a project's name and members (<see cref="AdminTenancy"/>; another company's project is a 404).</summary>
public sealed class ProjectModel(AdminTenancy tenancy, AdminRoles roles) : ConsolePage
{
    public ProjectView Project { get; private set; } = null!;

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public IReadOnlyList<MemberView> CompanyMembers { get; private set; } = [];

    public IReadOnlyList<string> ProjectRoles { get; private set; } = [];

    public string? NextCursor { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    [BindProperty]
    public Guid UserId { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    public async Task<IActionResult> OnGetAsync(string id) => await LoadAsync(id) ?? Page();

    public async Task<IActionResult> OnPostRenameAsync(string id) =>
        await AfterAsync(id, (await tenancy.UpdateProjectAsync(Caller, id, new ProjectInput { Name = Name }, Is(Version), Aborted)).Error, Text["Renamed."]);

    /// <summary>Adds the person or changes their role (as PUT without If-Match in the API).</summary>
    public async Task<IActionResult> OnPostSetMemberAsync(string id) =>
        await AfterAsync(id, (await tenancy.SetProjectMemberAsync(Caller, id, UserId, new MembershipInput { Role = Role }, _ => true, Aborted)).Error,
            Text["The member was saved."]);

    private async Task<IActionResult> AfterAsync(string id, AdminError? error, string done)
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

    private async Task<IActionResult?> LoadAsync(string id)
    {
        var project = await tenancy.GetProjectAsync(Caller, id, Aborted);
        if (Refused(project.Error) is { } refusal)
        {
            return refusal;
        }
        Project = project.Value!;
        var members = (await tenancy.ListProjectMembersAsync(Caller, id, PageOf() ?? new AdminPage(AdminApi.DefaultPageSize, null), Aborted)).Value;
        (Members, NextCursor) = (members?.Items ?? [], members?.NextCursor);
        CompanyMembers = (await tenancy.ListCompanyMembersAsync(Caller, Project.CompanyId, new AdminPage(AdminApi.MaxPageSize, null), Aborted)).Value?.Items ?? [];
        ProjectRoles = [.. (await roles.ReadAsync(Aborted)).Roles.Where(r => r.Scope == "project").Select(r => r.Name)];
        return null;
    }
}
