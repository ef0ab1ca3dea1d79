using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Roles;

namespace Ruum.Identity.Features.AdminConsole.Catalogue;

/// <summary>/admin/roles: every admin reads the catalogue; platform admins add roles (<see cref="AdminRoles"/>).</summary>
public sealed class RolesModel(AdminRoles roles) : ConsolePage
{
    public RoleCatalogueView Catalogue { get; private set; } = null!;

    [BindProperty]
    public string? Scope { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public List<string> Permissions { get; set; } = [];

    public async Task OnGetAsync() => Catalogue = await roles.ReadAsync(Aborted);

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Caller.IsPlatformAdmin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var created = await roles.CreateAsync(Caller, new RoleInput { Scope = Scope, Name = Name, Description = Description, Permissions = Permissions }, Aborted);
        if (Refused(created.Error) is { } refusal)
        {
            return refusal;
        }
        if (created.Error is null)
        {
            Notice = Text["The role {0} was created.", created.Value!.Name];
        }
        var status = Response.StatusCode;
        await OnGetAsync();
        Response.StatusCode = status;
        return Page();
    }
}
