using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Roles;
using Ruum.Identity.Features.Admin.Tenancy;
using Ruum.Identity.Features.Admin.Users;

namespace Ruum.Identity.Features.AdminConsole.Users;

/// <summary>
/// /admin/users/invite?company={id}: invite a person into one company (and optionally one of its projects) through
/// <see cref="AdminInvitations.InviteAsync"/>, whose rules decide (roles of the catalogue, an address already taken,
/// who may invite an owner). Without a company the page asks which one; another company's id is a 404.
/// </summary>
public sealed class InviteModel(AdminInvitations invitations, AdminTenancy tenancy, AdminRoles roles) : ConsoleFormPage
{
    [BindProperty(SupportsGet = true, Name = "company")]
    public Guid? CompanyId { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? ProjectId { get; set; }

    [BindProperty]
    public string? ProjectRole { get; set; }

    public CompanyView? Company { get; private set; }

    /// <summary>Without a company chosen: the companies the caller administers.</summary>
    public IReadOnlyList<CompanyView> Companies { get; private set; } = [];

    public IReadOnlyList<ProjectView> Projects { get; private set; } = [];

    public IReadOnlyList<string> CompanyRoles { get; private set; } = [];

    public IReadOnlyList<string> ProjectRoles { get; private set; } = [];

    /// <summary>The invitation just made.</summary>
    public InvitationView? Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (CompanyId is null)
        {
            Companies = (await tenancy.ListCompaniesAsync(Caller, new AdminPage(AdminApi.MaxPageSize, null), Aborted)).Items;
            // A company admin of one company has nothing to choose.
            return Companies.Count == 1 && !Caller.IsPlatformAdmin ? Redirect("/admin/users/invite?company=" + Companies[0].Id) : Page();
        }
        return await LoadAsync(CompanyId.Value) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (CompanyId is not { } companyId)
        {
            return NotFound();
        }
        var project = string.IsNullOrWhiteSpace(ProjectId) ? null : ProjectId;
        var invited = await invitations.InviteAsync(Caller, new InvitationInput
        {
            Email = Email,
            DisplayName = DisplayName,
            CompanyId = companyId,
            Role = Role,
            ProjectId = project,
            ProjectRole = project is null ? null : ProjectRole,
        }, InvitationsEndpoints.LinkBase(HttpContext), Aborted);
        switch (invited.Error)
        {
            case { Status: StatusCodes.Status409Conflict } taken:
                FieldError("email", taken.Detail, taken.Status);
                break;
            case { Status: StatusCodes.Status403Forbidden } owner:
                // The one 403 of an invitation: only an owner invites an owner; the field is the role.
                FieldError("role", owner.Detail, owner.Status);
                break;
            default:
                if (RefusedByField(invited.Error) is { } refusal)
                {
                    return refusal;
                }
                break;
        }
        var status = Response.StatusCode;
        if (await LoadAsync(companyId) is { } missing)
        {
            return missing;
        }
        Response.StatusCode = status;
        if (invited.Error is null)
        {
            Sent = invited.Value;
            (Email, DisplayName, ProjectId) = (null, null, null);
            ModelState.Clear();
        }
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid companyId)
    {
        var company = await tenancy.GetCompanyAsync(Caller, companyId, Aborted);
        if (Refused(company.Error) is { } refusal)
        {
            return refusal;
        }
        Company = company.Value;
        Projects = (await tenancy.ListProjectsAsync(Caller, companyId, new AdminPage(AdminApi.MaxPageSize, null), Aborted)).Value?.Items ?? [];
        var catalogue = (await roles.ReadAsync(Aborted)).Roles;
        CompanyRoles = [.. catalogue.Where(r => r.Scope == "company").Select(r => r.Name)];
        ProjectRoles = [.. catalogue.Where(r => r.Scope == "project").Select(r => r.Name)];
        return null;
    }
}
