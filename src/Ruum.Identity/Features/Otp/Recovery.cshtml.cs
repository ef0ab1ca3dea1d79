using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Otp;

/// <summary>The second step with a recovery code, for when the authenticator app is not at hand.</summary>
public sealed class RecoveryModel(
    PendingSignIns pendings,
    RecoveryCodes recoveryCodes,
    SecondFactorSignIn signIn,
    SecondFactorGuard guard,
    AuditLog audit,
    TimeProvider time,
    IStringLocalizer<FormMessages> text) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter one of your recovery codes.")]
    [StringLength(RecoveryCodes.MaxInputLength, ErrorMessage = "That is not a recovery code.")]
    public string Code { get; set; } = "";

    public bool Missing { get; private set; }
    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await pendings.FindAsync(HttpContext, HttpContext.RequestAborted) is null ? NoPending() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (await pendings.FindAsync(HttpContext, cancellationToken) is not { } current)
        {
            return NoPending();
        }
        var (pending, user) = current;
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var redeemed = await guard.JudgeAsync(user.Id, "recovery_code", pending.ClientId, () => recoveryCodes.RedeemAsync(user.Id, Code, cancellationToken),
            r => r ? GuessOutcome.Right : GuessOutcome.Wrong, cancellationToken);
        if (redeemed is null)
        {
            Failure = text[OtpModel.LockedMessage];
            return Page();
        }
        if (redeemed == false)
        {
            await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, user.Id, new { method = "recovery_code", reason = "wrong" },
                pending.ClientId, cancellationToken);
            Failure = text["That recovery code is not right or was already used."];
            return Page();
        }
        var left = await recoveryCodes.CountUnusedAsync(user.Id, cancellationToken);
        await audit.RecordAsync(AuditEventTypes.RecoveryCodeUsed, AuditOutcomes.Success, user.Id, new { codes_left = left }, pending.ClientId, cancellationToken);
        if (!await signIn.CompleteAsync(HttpContext, pending, user, SecondFactorFacts.RecoveryCode(time.GetUtcNow()), "recovery_code",
                trustDevice: false, cancellationToken))
        {
            return NoPending();
        }
        return LocalRedirect(LoginModel.SafeReturnUrl(pending.ReturnUrl));
    }

    private PageResult NoPending()
    {
        Missing = true;
        Failure = text[OtpModel.MissingMessage];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
