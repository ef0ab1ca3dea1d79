using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Users;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Sessions;

/// <summary>/account/apps: the applications the user has authorized, each revocable.</summary>
[Authorize]
public sealed class AppsModel(AuthorizedApps apps, IStringLocalizer<FormMessages> text) : PageModel
{
    public IReadOnlyList<AuthorizedApp> Apps { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync() => Apps = await apps.ListAsync(User.UserId(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRevokeAsync(string? clientId)
    {
        var revoked = await apps.RevokeAsync(User.UserId(), clientId ?? "", HttpContext.RequestAborted);
        Message = text[revoked ? "The application's access was revoked. It must ask you again." : "That application was not found."];
        if (!revoked)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        await OnGetAsync();
        return Page();
    }
}
