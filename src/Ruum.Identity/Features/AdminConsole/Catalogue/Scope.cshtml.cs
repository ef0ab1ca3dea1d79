using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Scopes;

namespace Ruum.Identity.Features.AdminConsole.Catalogue;

/// <summary>
/// /admin/scopes/{name}: platform admins edit a scope (<see cref="AdminScopes.UpdateAsync"/>); the form carries the
/// version it was shown with (the API's If-Match), so a stale form writes nothing. The name cannot change.
/// </summary>
[PlatformAdminOnly]
public sealed class ScopeModel(AdminScopes scopes) : ConsoleFormPage
{
    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    /// <summary>The audiences, separated by spaces.</summary>
    [BindProperty]
    public string? Resources { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    public ScopeView Scope { get; private set; } = null!;

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name) => await LoadAsync(name, showCurrent: true) ?? Page();

    public async Task<IActionResult> OnPostAsync(string name)
    {
        var updated = await scopes.UpdateAsync(Caller, name, new ScopeInput
        {
            DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim(),
            Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            Resources = (Resources ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        }, Is(Version), Aborted);
        if (RefusedByField(updated.Error) is { } refusal)
        {
            return refusal;
        }
        var status = Response.StatusCode;
        Saved = updated.Error is null;
        if (await LoadAsync(name, showCurrent: Saved || Stale) is { } missing)
        {
            return missing;
        }
        Response.StatusCode = status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string name, bool showCurrent)
    {
        var found = await scopes.GetAsync(name, Aborted);
        if (Refused(found.Error) is { } refusal)
        {
            return refusal;
        }
        Scope = found.Value!;
        if (showCurrent)
        {
            (DisplayName, Description, Resources, Version) = (Scope.DisplayName, Scope.Description, string.Join(' ', Scope.Resources), Scope.Version);
        }
        return null;
    }
}
