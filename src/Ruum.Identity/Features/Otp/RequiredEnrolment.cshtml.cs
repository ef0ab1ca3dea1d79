using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// A sign-in whose company policy requires an authenticator app the user has not set up: the password has passed, no
/// emailed code is sent, and the sign-in finishes only when the app is enrolled with a valid code (the enrolment of
/// <see cref="AuthenticatorEnrolmentModel"/>). The account's address is told, as for any new second factor.
/// </summary>
public sealed class RequiredEnrolmentModel(
    PendingSignIns pendings,
    Authenticators authenticators,
    RecoveryCodes recoveryCodes,
    SecondFactorSignIn signIn,
    SecondFactorGuard guard,
    CredentialChanges credentialChanges,
    CredentialNotifications notifications,
    RuumDbContext db,
    AuditLog audit,
    IOptions<OtpOptions> options,
    TimeProvider time) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter the 6-digit code from your app.")]
    [RegularExpression("^[0-9]{6}$", ErrorMessage = "The code is exactly 6 digits, with no spaces or letters.")]
    public string Code { get; set; } = "";

    public bool Missing { get; private set; }
    public string? Secret { get; private set; }
    public string? QrSvg { get; private set; }
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];
    public string ContinueUrl { get; private set; } = "/";
    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await FindAsync() is not { } current)
        {
            return NoPending();
        }
        await DescribeAsync(current.User);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (await FindAsync() is not { } current)
        {
            return NoPending();
        }
        var (pending, user) = current;
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await DescribeAsync(user);
            return Page();
        }
        var confirmed = await guard.JudgeAsync(user.Id, "authenticator", pending.ClientId, () => authenticators.ConfirmAsync(user.Id, Code, cancellationToken),
            c => c == TotpCheck.Valid ? GuessOutcome.Right : GuessOutcome.Wrong, cancellationToken);
        if (confirmed != TotpCheck.Valid)
        {
            if (confirmed is not null)
            {
                await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, user.Id,
                    new { method = "authenticator", reason = "enrolment_refused" }, pending.ClientId, cancellationToken);
            }
            Failure = confirmed is null ? OtpModel.LockedMessage
                : "That code is not right. Check the key in your app and the time on your phone, then try again.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await DescribeAsync(user);
            return Page();
        }
        NewRecoveryCodes = await recoveryCodes.IssueAsync(user.Id, cancellationToken);
        // A new second factor is a credential change: other sessions and trusted devices end; this sign-in carries the new stamp.
        await credentialChanges.ApplyAsync(user.Id, "second_factor_changed", cancellationToken);
        await audit.RecordAsync(AuditEventTypes.AuthenticatorEnrolled, AuditOutcomes.Success, user.Id, new { reason = "company_policy" },
            pending.ClientId, cancellationToken);
        await notifications.SendAsync(user.Id, CredentialNotice.AuthenticatorAdded, cancellationToken);
        var current2 = await db.Set<User>().FindAsync([user.Id], cancellationToken) ?? user;
        if (!await signIn.CompleteAsync(HttpContext, pending, current2, SecondFactorFacts.Authenticator(time.GetUtcNow()), "authenticator",
                trustDevice: false, cancellationToken))
        {
            return NoPending();
        }
        ContinueUrl = LoginModel.SafeReturnUrl(pending.ReturnUrl);
        return Page();
    }

    private async Task<(PendingSignIn Pending, User User)?> FindAsync() =>
        await pendings.FindAsync(HttpContext, HttpContext.RequestAborted) is { } found && found.Pending.Method == SecondFactorMethod.EnrolAuthenticator
            ? found : null;

    private async Task DescribeAsync(User user)
    {
        Secret = await authenticators.BeginEnrolmentAsync(user.Id, HttpContext.RequestAborted);
        QrSvg = AuthenticatorEnrolmentModel.RenderQr(Authenticators.KeyUri(options.Value.AuthenticatorIssuer, user.Email, Secret));
    }

    private PageResult NoPending()
    {
        Missing = true;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
