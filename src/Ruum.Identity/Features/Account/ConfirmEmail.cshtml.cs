using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Account;

/// <summary>
/// /account/email/confirm: the new address's link, opened signed in to the same account with a fresh second factor.
/// Opening it (a mail scanner may) changes nothing; the button does.
/// </summary>
[Authorize]
[RequireRecentSecondFactor]
public sealed class ConfirmEmailModel(EmailChanges changes) : PageModel
{
    public const string Changed = "Your email address was changed.";
    public const string OtherAccount = "This link belongs to another account. Sign out, then sign in to the account that asked for the change.";
    public const string Taken = "Another account uses that email address now. Nothing was changed.";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public EmailChangeState State { get; private set; }

    public string? NewEmail { get; private set; }

    public string? Failure { get; private set; }

    public string? Notice { get; private set; }

    public static string LinkMessage(EmailChangeState state) => state switch
    {
        EmailChangeState.Used => "This link was already used.",
        EmailChangeState.Expired => "This link has expired. Ask for a new one from your account.",
        EmailChangeState.Superseded => "A newer link replaced this one. Use the newest mail.",
        EmailChangeState.Cancelled => "This change was cancelled from your current address.",
        _ => "This link is not valid. Check that you copied all of it.",
    };

    public async Task<IActionResult> OnGetAsync()
    {
        var (state, change) = await changes.FindAsync(Token, HttpContext.RequestAborted);
        State = state;
        if (state == EmailChangeState.Valid && change!.UserId != User.UserId())
        {
            Failure = OtherAccount;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        NewEmail = change?.NewEmail;
        if (state != EmailChangeState.Valid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await changes.ConfirmAsync(User.UserId(), Token, HttpContext.RequestAborted);
        switch (result)
        {
            case EmailChangeConfirmation.Changed:
                Notice = Changed;
                return Page();
            case EmailChangeConfirmation.OtherAccount:
                Failure = OtherAccount;
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            case EmailChangeConfirmation.Taken:
                Failure = Taken;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                State = (await changes.FindAsync(Token, HttpContext.RequestAborted)).State;
                State = State == EmailChangeState.Valid ? EmailChangeState.Unknown : State;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }
}
