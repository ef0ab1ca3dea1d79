using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// Set up an authenticator app: a QR code rendered here (no external service) and the key as text; finished
/// only by a valid code, which issues the recovery codes, shown this once.
/// </summary>
[Authorize]
[RequireRecentSecondFactor]
public sealed class AuthenticatorEnrolmentModel(
    RuumDbContext db,
    Authenticators authenticators,
    RecoveryCodes recoveryCodes,
    CredentialChanges credentialChanges,
    CredentialNotifications notifications,
    SecondFactorGuard guard,
    AuditLog audit,
    IOptions<OtpOptions> options,
    IStringLocalizer<FormMessages> text) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter the 6-digit code from your app.")]
    [RegularExpression("^[0-9]{6}$", ErrorMessage = "The code is exactly 6 digits, with no spaces or letters.")]
    public string Code { get; set; } = "";

    public bool IsEnabled { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string? Secret { get; private set; }
    public string? QrSvg { get; private set; }
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];
    public string? Failure { get; private set; }
    public string? Notice { get; private set; }
    public string CodesNotice { get; private set; } = text["Your authenticator app is set up."];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var userId = User.UserId();
        if (await authenticators.IsEnabledAsync(userId, cancellationToken))
        {
            await LoadAsync();
            return Page();
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync();
            return Page();
        }
        var confirmed = await guard.JudgeAsync(userId, "authenticator", null, () => authenticators.ConfirmAsync(userId, Code, cancellationToken),
            c => c == TotpCheck.Valid ? GuessOutcome.Right : GuessOutcome.Wrong, cancellationToken);
        if (confirmed != TotpCheck.Valid)
        {
            if (confirmed is not null)
            {
                await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, userId,
                    new { method = "authenticator", reason = "enrolment_refused" }, cancellationToken: cancellationToken);
            }
            Failure = text[confirmed is null ? OtpModel.LockedMessage
                : "That code is not right. Check the key in your app and the time on your phone, then try again."];
            await LoadAsync();
            return Page();
        }
        NewRecoveryCodes = await recoveryCodes.IssueAsync(userId, cancellationToken);
        await credentialChanges.ApplyAndKeepSessionAsync(HttpContext, User, "second_factor_changed", CredentialNotice.AuthenticatorAdded, cancellationToken);
        await audit.RecordAsync(AuditEventTypes.AuthenticatorEnrolled, AuditOutcomes.Success, userId, cancellationToken: cancellationToken);
        await LoadAsync();
        return Page();
    }

    /// <summary>Removing the app takes a code from it: a session alone (perhaps on a trusted device) is not enough.</summary>
    public async Task<IActionResult> OnPostRemoveAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var userId = User.UserId();
        if (await authenticators.IsEnabledAsync(userId, cancellationToken))
        {
            if (!ModelState.IsValid)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                await LoadAsync();
                return Page();
            }
            var check = await guard.JudgeAsync(userId, "authenticator", null, () => authenticators.VerifyAsync(userId, Code, cancellationToken),
                c => c == TotpCheck.Valid ? GuessOutcome.Right : GuessOutcome.Wrong, cancellationToken);
            if (check != TotpCheck.Valid)
            {
                if (check is not null)
                {
                    await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, userId,
                        new { method = "authenticator", reason = "remove_refused" }, cancellationToken: cancellationToken);
                }
                Failure = text[check is null ? OtpModel.LockedMessage : "That code is not right. Enter the current code from your app to remove it."];
                await LoadAsync();
                return Page();
            }
            await authenticators.RemoveAsync(userId, cancellationToken);
            await credentialChanges.ApplyAndKeepSessionAsync(HttpContext, User, "second_factor_changed", CredentialNotice.AuthenticatorRemoved,
                cancellationToken);
            await audit.RecordAsync(AuditEventTypes.AuthenticatorRemoved, AuditOutcomes.Success, userId, cancellationToken: cancellationToken);
            Notice = text["The authenticator app was removed. Sign-in codes will be emailed to you."];
        }
        await LoadAsync();
        return Page();
    }

    /// <summary>Replaces every recovery code (the old ones stop working); the new ones are shown this once.</summary>
    public async Task<IActionResult> OnPostNewRecoveryCodesAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var userId = User.UserId();
        if (await authenticators.IsEnabledAsync(userId, cancellationToken))
        {
            NewRecoveryCodes = await recoveryCodes.IssueAsync(userId, cancellationToken);
            await audit.RecordAsync(AuditEventTypes.RecoveryCodesRenewed, AuditOutcomes.Success, userId, cancellationToken: cancellationToken);
            await notifications.SendAsync(userId, CredentialNotice.RecoveryCodesRenewed, cancellationToken);
            CodesNotice = text["New recovery codes were created. Your earlier codes no longer work."];
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var userId = User.UserId();
        IsEnabled = await authenticators.IsEnabledAsync(userId, cancellationToken);
        if (IsEnabled)
        {
            RecoveryCodesLeft = await recoveryCodes.CountUnusedAsync(userId, cancellationToken);
            return;
        }
        var email = await db.Set<User>().Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken);
        Secret = await authenticators.BeginEnrolmentAsync(userId, cancellationToken);
        QrSvg = RenderQr(Authenticators.KeyUri(options.Value.AuthenticatorIssuer, email, Secret));
    }

    /// <summary>An inline SVG: no image request, no external QR service, nothing for a CSP to block.</summary>
    internal static string RenderQr(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(4);
    }
}
