using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ruum.Identity.Features.Account;

/// <summary>
/// /account/email/cancel: the old address's "this was not me" link. The token alone is the authority (no sign-in: the
/// person reporting may be locked out); opening the link changes nothing, the button cancels the pending change.
/// </summary>
public sealed class CancelEmailModel(EmailChanges changes) : PageModel
{
    public const string Cancelled = "The change was cancelled: your email address stays as it is. Change your password now, as someone may be signed in to your account.";
    public const string NotPending = "This change is no longer pending: it was already confirmed, cancelled, replaced or it expired. If you did not ask for it, reset your password.";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool Pending { get; private set; }

    public string? Message { get; private set; }

    public async Task OnGetAsync()
    {
        Pending = (await changes.FindByCancelTokenAsync(Token, HttpContext.RequestAborted)).State == EmailChangeState.Valid;
        if (!Pending)
        {
            Message = NotPending;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await changes.CancelAsync(Token, HttpContext.RequestAborted))
        {
            Message = Cancelled;
            return Page();
        }
        Message = NotPending;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
