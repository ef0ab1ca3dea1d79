using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Users;

namespace Ruum.Identity.Features.AdminConsole.Users;

/// <summary>/admin/users: search by email or name, on the server (<see cref="AdminUsers.SearchAsync"/>: a company admin finds their companies' people only).</summary>
public sealed class UsersModel(AdminUsers users) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<UserSummary> Users { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (Q is { Length: > 254 })
        {
            Problems.Add(Text["One search term of at most 254 characters (part of an email or a name)."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (PageOf() is not { } page)
        {
            return Page();
        }
        var found = await users.SearchAsync(Caller, Q, page, Aborted);
        (Users, NextCursor) = (found.Items, found.NextCursor);
        return Page();
    }
}
