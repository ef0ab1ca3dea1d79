using Ruum.Identity.Features.Notifications.Templates;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Shared;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Email;

namespace Ruum.Identity.Features.Account;

/// <summary>
/// /account/delete: the person erases themselves (GDPR Art. 17) after a fresh password and second factor (the
/// re-authentication) and typing their address: the admin API's erasure, a goodbye mail, and this browser signed out.
/// </summary>
[Authorize]
[RequireRecentSecondFactor]
public sealed partial class DeleteModel(RuumDbContext db, UserPrivacy privacy, AuditLog audit, IEmailSender email, MailTemplates templates,
    ILogger<DeleteModel> logger, IStringLocalizer<FormMessages> text)
    : PageModel
{
    public const string DeletedPath = "/account/deleted";
    public const string ConfirmationMismatch = "Type your email address exactly as shown to confirm.";
    public const string LastPlatformAdmin = "You are the last platform admin: make someone else a platform admin before you delete your account.";

    /// <summary>The account's address typed again: a post without it (a forged or replayed form) erases nothing.</summary>
    [BindProperty]
    [Required(ErrorMessage = ConfirmationMismatch)]
    [StringLength(EmailAddress.MaxLength, ErrorMessage = ConfirmationMismatch)]
    public string Confirmation { get; set; } = "";

    public string Email { get; private set; } = "";

    public string? Failure { get; private set; }

    public async Task OnGetAsync() => Email = (await AccountAsync()).Email;

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var user = await AccountAsync();
        Email = user.Email;
        if (ModelState.IsValid && EmailAddress.Normalize(Confirmation) != user.NormalizedEmail)
        {
            ModelState.AddModelError(nameof(Confirmation), text[ConfirmationMismatch]);
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!await privacy.EraseOwnAsync(user.Id, cancellationToken))
        {
            Failure = text[LastPlatformAdmin];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        await audit.RecordAsync(AuditEventTypes.AccountDeleted, AuditOutcomes.Success, user.Id, cancellationToken: cancellationToken);
        await HttpContext.SignOutAsync(SessionSetup.Scheme);
        var goodbye = templates.Goodbye(user.DisplayName);
        try
        {
            await email.SendAsync(new EmailMessage(user.Email, user.DisplayName, goodbye.Subject, goodbye.Text, goodbye.Html), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The erasure stands; the address is gone, so there is nothing to retry with.
            LogGoodbyeFailed(logger, user.Id, exception.GetType().Name);
        }
        return LocalRedirect(DeletedPath);
    }

    private async Task<User> AccountAsync()
    {
        var userId = User.UserId();
        return await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == userId, HttpContext.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Goodbye mail for erased user {UserId} could not be sent ({ExceptionType})")]
    private static partial void LogGoodbyeFailed(ILogger logger, Guid userId, string exceptionType);
}
