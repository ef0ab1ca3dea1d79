using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Scopes;

namespace Ruum.Identity.Features.AdminConsole.Catalogue;

/// <summary>/admin/scopes: platform admins list and create scopes (<see cref="AdminScopes"/>).</summary>
[PlatformAdminOnly]
public sealed class ScopesModel(AdminScopes scopes) : ConsolePage
{
    public IReadOnlyList<ScopeView> Scopes { get; private set; } = [];

    public string? NextCursor { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Resources { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (PageOf() is { } page)
        {
            var found = await scopes.ListAsync(page, Aborted);
            (Scopes, NextCursor) = (found.Items, found.NextCursor);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await scopes.CreateAsync(Caller, new ScopeInput
        {
            Name = Name?.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim(),
            Resources = (Resources ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        }, Aborted);
        if (Refused(created.Error) is { } refusal)
        {
            return refusal;
        }
        var status = Response.StatusCode;
        if (created.Error is null)
        {
            Notice = Text["The scope {0} was created.", created.Value!.Name];
            (Name, DisplayName, Resources) = (null, null, null);
        }
        await OnGetAsync();
        Response.StatusCode = status;
        return Page();
    }
}
