using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Shared;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Account;

/// <summary>/account/email: asks for a new address after a fresh second factor; nothing changes until the new address confirms.</summary>
[Authorize]
[RequireRecentSecondFactor]
public sealed class EmailModel(RuumDbContext db, EmailChanges changes, IOptions<EmailChangeOptions> options, IStringLocalizer<FormMessages> text) : PageModel
{
    public const string SameAsCurrent = "That is already your email address.";
    public const string Taken = "Another account uses that email address.";
    public const string NotSent = "We could not send the mails just now. Try again in a few minutes.";

    [BindProperty]
    public EmailChangeInput Input { get; set; } = new();

    public string Email { get; private set; } = "";

    public string? SentTo { get; private set; }

    public int LinkHours => (int)options.Value.LinkLifetime.TotalHours;

    public async Task OnGetAsync() => Email = await CurrentAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        Email = await CurrentAsync();
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var result = await changes.RequestAsync(HttpContext, User.UserId(), Input.NewEmail, HttpContext.RequestAborted);
        switch (result)
        {
            case EmailChangeRequest.Sent:
                SentTo = Input.NewEmail.Trim();
                return Page();
            case EmailChangeRequest.NotSent:
                ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.NewEmail)}", text[NotSent]);
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Page();
            default:
                ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.NewEmail)}", text[result == EmailChangeRequest.Taken ? Taken : SameAsCurrent]);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }

    private async Task<string> CurrentAsync()
    {
        var userId = User.UserId();
        return await db.Set<User>().Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(HttpContext.RequestAborted);
    }
}

public sealed class EmailChangeInput
{
    [Required(ErrorMessage = "Enter your new email address.")]
    [StringLength(EmailAddress.MaxLength, ErrorMessage = "That email address is too long.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string NewEmail { get; set; } = "";
}
