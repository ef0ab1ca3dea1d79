using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Tenancy;

namespace Ruum.Identity.Features.AdminConsole.Companies;

/// <summary>
/// /admin/remove/{kind}/{id}[/{userId}]: deleting a company or project, or removing a member, after a confirmation
/// page that says what ends; the post needs the confirmation field. The rules are <see cref="AdminTenancy"/>'s.
/// </summary>
public sealed class RemoveModel(AdminTenancy tenancy) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = "";

    [BindProperty(Name = ConfirmationField)]
    public bool Confirmed { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    public string What { get; private set; } = "";

    public string Back { get; private set; } = "/admin/companies";

    public bool Done { get; private set; }

    public string Title => Kind switch
    {
        "company" => "Delete the company",
        "project" => "Delete the project",
        _ => "Remove the member",
    };

    public string Consequences => Kind switch
    {
        "company" => "The company is deleted with its projects and every membership in them. Its people keep their accounts but lose their roles here.",
        "project" => "The project is deleted with its memberships: its people lose their roles in it.",
        "company-member" => "The person leaves the company and all of its projects: their next tokens carry none of its roles.",
        _ => "The person leaves this project: their next tokens no longer carry its role.",
    };

    public async Task<IActionResult> OnGetAsync(string id, Guid? userId)
    {
        if (await LoadAsync(id, userId) is { } missing)
        {
            return missing;
        }
        Version = ShownVersion;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, Guid? userId)
    {
        var shown = Version;
        if (await LoadAsync(id, userId) is { } missing)
        {
            return missing;
        }
        if (!Confirmed)
        {
            Version = ShownVersion;
            Problems.Add(Text["Nothing was changed: tick the box to confirm."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var current = Is(shown);
        var error = Kind switch
        {
            "company" => await tenancy.DeleteCompanyAsync(Caller, Guid.Parse(id), current, Aborted),
            "project" => await tenancy.DeleteProjectAsync(Caller, id, current, Aborted),
            "company-member" => await tenancy.RemoveCompanyMemberAsync(Caller, Guid.Parse(id), userId!.Value, current, Aborted),
            _ => await tenancy.RemoveProjectMemberAsync(Caller, id, userId!.Value, current, Aborted),
        };
        if (Refused(error) is { } refusal)
        {
            return refusal;
        }
        Version = ShownVersion;
        Done = error is null;
        Notice = Done ? Text["Done."].Value : null;
        return Page();
    }

    private string? ShownVersion { get; set; }

    /// <summary>What the action names, for the page (and its version); a 404 for anything the caller may not see.</summary>
    private async Task<IActionResult?> LoadAsync(string id, Guid? userId)
    {
        var wide = new AdminPage(AdminApi.MaxPageSize, null);
        switch (Kind)
        {
            case "company" or "company-member":
                if (!Guid.TryParse(id, out var companyId) || (Kind == "company-member" && userId is null))
                {
                    return NotFound();
                }
                var company = await tenancy.GetCompanyAsync(Caller, companyId, Aborted);
                if (Refused(company.Error) is { } refusal)
                {
                    return refusal;
                }
                Back = $"/admin/companies/{companyId}";
                if (Kind == "company")
                {
                    (What, ShownVersion, Back) = (company.Value!.Name, company.Value.Version, "/admin/companies");
                    return null;
                }
                return await MemberAsync(await tenancy.ListCompanyMembersAsync(Caller, companyId, wide, Aborted), userId!.Value, company.Value!.Name);
            default:
                var project = await tenancy.GetProjectAsync(Caller, id, Aborted);
                if (project.Error is not null || (Kind == "project-member" && userId is null))
                {
                    return Refused(project.Error) ?? NotFound();
                }
                Back = Kind == "project" ? $"/admin/companies/{project.Value!.CompanyId}" : $"/admin/projects/{id}";
                if (Kind == "project")
                {
                    (What, ShownVersion) = (project.Value!.Name, project.Value.Version);
                    return null;
                }
                return await MemberAsync(await tenancy.ListProjectMembersAsync(Caller, id, wide, Aborted), userId!.Value, project.Value!.Name);
        }
    }

    private Task<IActionResult?> MemberAsync(AdminResult<Page<MemberView>> members, Guid userId, string where)
    {
        // Members are listed by page; the confirmation looks the person up among the first page of 200, which is where the link came from.
        if (members.Value?.Items.FirstOrDefault(m => m.UserId == userId) is not { } member)
        {
            return Task.FromResult<IActionResult?>(Done ? null : NotFound());
        }
        (What, ShownVersion) = ($"{member.Email} ({where})", member.Version);
        return Task.FromResult<IActionResult?>(null);
    }
}
