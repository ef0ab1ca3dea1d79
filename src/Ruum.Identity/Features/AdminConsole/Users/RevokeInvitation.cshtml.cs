using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Users;

namespace Ruum.Identity.Features.AdminConsole.Users;

/// <summary>
/// /admin/users/invitations/{id}/revoke: the confirmation page says what revoking ends; the post needs its confirmation
/// field. Another company's invitation is a 404 (<see cref="AdminInvitations.GetAsync"/>, <see cref="AdminInvitations.RevokeAsync"/>).
/// </summary>
public sealed class RevokeInvitationModel(AdminInvitations invitations) : ConsolePage
{
    [BindProperty(Name = ConfirmationField)]
    public bool Confirmed { get; set; }

    public InvitationView Invitation { get; private set; } = null!;

    /// <summary>The post came without its confirmation field: nothing was changed.</summary>
    public bool Unconfirmed { get; private set; }

    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }
        if (!Confirmed)
        {
            Unconfirmed = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var error = await invitations.RevokeAsync(Caller, id, Aborted);
        if (Refused(error) is { } refusal)
        {
            return refusal;
        }
        Done = error is null;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var found = await invitations.GetAsync(Caller, id, Aborted);
        if (Refused(found.Error) is { } refusal)
        {
            return refusal;
        }
        Invitation = found.Value!;
        return null;
    }
}
