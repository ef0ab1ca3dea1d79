using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Scopes;

namespace Ruum.Identity.Features.AdminConsole.Catalogue;

/// <summary>
/// /admin/scopes/{name}/delete: the confirmation page says what deleting ends; the post needs its confirmation field
/// and the version it was shown with (<see cref="AdminScopes.DeleteAsync"/>).
/// </summary>
[PlatformAdminOnly]
public sealed class DeleteScopeModel(AdminScopes scopes) : ConsoleFormPage
{
    [BindProperty(Name = ConfirmationField)]
    public bool Confirmed { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    public ScopeView Scope { get; private set; } = null!;

    /// <summary>The post came without its confirmation field: nothing was changed.</summary>
    public bool Unconfirmed { get; private set; }

    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name) => await LoadAsync(name) ?? Page();

    public async Task<IActionResult> OnPostAsync(string name)
    {
        if (await LoadAsync(name) is { } missing)
        {
            return missing;
        }
        if (!Confirmed)
        {
            Unconfirmed = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var error = await scopes.DeleteAsync(Caller, name, Is(Version), Aborted);
        if (RefusedByField(error) is { } refusal)
        {
            return refusal;
        }
        Done = error is null;
        if (Stale && await LoadAsync(name) is { } gone)
        {
            return gone;
        }
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string name)
    {
        var found = await scopes.GetAsync(name, Aborted);
        if (Refused(found.Error) is { } refusal)
        {
            return refusal;
        }
        Scope = found.Value!;
        return null;
    }
}
