using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Recovery;

/// <summary>
/// Where a reset link lands: the account's second factor, then a new password. The link alone is not enough, so a
/// stolen mailbox alone cannot take an account that has an authenticator app (ASVS 5.0 V6.4.3). Wrong codes count
/// toward the same second-factor lock as at sign-in. Opening the page changes nothing: mail scanners open links too.
/// </summary>
public sealed class ResetPasswordModel(
    PasswordResets resets,
    SecondFactorGuard guard,
    Authenticators authenticators,
    RecoveryCodes recoveryCodes,
    NewPasswordRules rules,
    PasswordHasher hasher,
    PasswordVerificationGate gate,
    CredentialChanges credentialChanges,
    CredentialNotifications notifications,
    RuumDbContext db,
    AuditLog audit,
    SecurityPolicies policies,
    IOptions<OtpOptions> otp,
    IStringLocalizer<FormMessages> text) : PageModel
{
    public const string PolicyRefusal = "Your organisation requires an authenticator app, so an emailed code cannot be used to reset your password. "
        + "Ask an administrator of your organisation for help.";

    public const string UnknownLink = "This link is not valid. Check that you opened the whole link, or ask for a new one.";
    public const string UsedLink = "This link was already used. Ask for a new one if you need to.";
    public const string ExpiredLink = "This link has expired. Ask for a new one.";
    public const string SupersededLink = "A newer link was sent to you: only the latest one works.";
    public const string WrongCode = "That code is not right.";
    public const string Done = "Your password was changed. Every browser and app was signed out and trusted devices were removed: sign in with your new password.";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public ResetPasswordInput Input { get; set; } = new();

    public ResetLinkState State { get; private set; }
    public bool UsesAuthenticator { get; private set; }

    /// <summary>The user has only emailed codes and a company policy does not accept them (issue 27: the admin API's policy decides).</summary>
    public bool EmailCodesRefused { get; private set; }
    public bool CodeSent { get; private set; }
    public string? MaskedEmail { get; private set; }
    public int MinimumLength => rules.MinimumLength;
    public int CodeMinutes => (int)otp.Value.EmailCodeLifetime.TotalMinutes;
    public string? Failure { get; private set; }
    public string? Notice { get; private set; }
    public bool Changed { get; private set; }

    public static string LinkMessage(ResetLinkState state) => state switch
    {
        ResetLinkState.Used => UsedLink,
        ResetLinkState.Expired => ExpiredLink,
        ResetLinkState.Superseded => SupersededLink,
        _ => UnknownLink,
    };

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is not { } current)
        {
            return Page();
        }
        if (await guard.IsLockedAsync(current.User.Id, HttpContext.RequestAborted))
        {
            Failure = text[OtpModel.LockedMessage];
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSendCodeAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        ModelState.Clear();
        if (await LoadAsync() is not { } current)
        {
            return Page();
        }
        var (link, user) = current;
        if (EmailCodesRefused)
        {
            return await RefuseByPolicyAsync(user.Id, cancellationToken);
        }
        if (UsesAuthenticator)
        {
            Failure = text["Codes come from your authenticator app; none are emailed."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (await guard.IsLockedAsync(user.Id, cancellationToken))
        {
            Failure = text[OtpModel.LockedMessage];
            return Page();
        }
        var (result, retryAfter) = await resets.SendCodeAsync(link, user, cancellationToken);
        switch (result)
        {
            case ResetCodeSend.Sent:
                CodeSent = true;
                Notice = text["We sent a code to {0}. It expires in {1} minutes; earlier codes no longer work.", MaskedEmail!, CodeMinutes];
                return Page();
            case ResetCodeSend.NotSent:
                Failure = text[OtpModel.NotSentMessage];
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Page();
            default:
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                Failure = result == ResetCodeSend.TooSoon
                    ? text["Please wait {0} seconds before asking for another code.", seconds]
                    : text["You have asked for too many codes for this link. Use the last code you received, or ask for a new link."];
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Page();
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (await LoadAsync() is not { } current)
        {
            return Page();
        }
        var (link, user) = current;
        if (EmailCodesRefused)
        {
            return await RefuseByPolicyAsync(user.Id, cancellationToken);
        }
        // The password is judged first: a bad one spends no code and counts no failure.
        if (rules.FindProblem(Input.NewPassword, user.Email, user.DisplayName) is { } problem)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.NewPassword)}", text.NewPasswordProblem(problem, rules.MinimumLength));
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var method = UsesAuthenticator ? (RecoveryCodes.Normalize(Input.Code) is null ? "authenticator" : "recovery_code") : "email";
        var verdict = await guard.JudgeAsync(user.Id, method, null, () => VerifyAsync(method, link, user, cancellationToken),
            check => check switch
            {
                EmailCodeCheck.Verified => GuessOutcome.Right,
                EmailCodeCheck.Expired or EmailCodeCheck.NoCode => GuessOutcome.NotJudged,
                _ => GuessOutcome.Wrong,
            }, cancellationToken);
        if (verdict is not { } check)
        {
            Failure = text[OtpModel.LockedMessage];
            return Page();
        }
        if (check != EmailCodeCheck.Verified)
        {
            await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, user.Id,
                new { method, purpose = "password_reset", reason = check.ToString().ToLowerInvariant() }, cancellationToken: cancellationToken);
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.Code)}", text[check switch
            {
                EmailCodeCheck.Expired => "This code has expired. Ask for a new code.",
                EmailCodeCheck.NoCode => "There is no code to check. Ask for a code first.",
                EmailCodeCheck.TooManyAttempts => "This code was tried too many times and no longer works. Ask for a new code.",
                _ => WrongCode,
            }]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!await resets.SpendAsync(link, cancellationToken))
        {
            State = ResetLinkState.Used;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await SetPasswordAsync(user.Id, method, cancellationToken);
        Changed = true;
        return Page();
    }

    private async Task<IActionResult> RefuseByPolicyAsync(Guid userId, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, userId,
            new { method = "email", purpose = "password_reset", reason = "company_policy" }, cancellationToken: cancellationToken);
        ModelState.Clear();
        Failure = text[PolicyRefusal];
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private async Task SetPasswordAsync(Guid userId, string method, CancellationToken cancellationToken)
    {
        var tracked = await db.Set<User>().FindAsync([userId], cancellationToken) ?? throw new InvalidOperationException("The user is gone.");
        tracked.PasswordHash = await gate.RunAsync(() => hasher.Hash(Input.NewPassword!), cancellationToken);
        // The mail that carried the link reached its owner, who also passed the second factor.
        tracked.EmailVerified = true;
        // The user is tracked by this request's context: the new hash is saved together with the new stamp.
        await credentialChanges.ApplyAsync(userId, "password_reset", cancellationToken);
        if (await resets.UnlockPasswordAsync(userId, cancellationToken))
        {
            await audit.RecordAsync(AuditEventTypes.AccountUnlocked, AuditOutcomes.Success, userId,
                new { factor = "password", reason = "password_reset" }, cancellationToken: cancellationToken);
        }
        await audit.RecordAsync(AuditEventTypes.PasswordReset, AuditOutcomes.Success, userId, new { method }, cancellationToken: cancellationToken);
        await notifications.SendAsync(userId, CredentialNotice.PasswordChanged, cancellationToken);
    }

    private async Task<EmailCodeCheck> VerifyAsync(string method, PasswordResetLink link, User user, CancellationToken cancellationToken) => method switch
    {
        "authenticator" => await authenticators.VerifyAsync(user.Id, Input.Code, cancellationToken) == TotpCheck.Valid
            ? EmailCodeCheck.Verified : EmailCodeCheck.Wrong,
        "recovery_code" => await RedeemRecoveryCodeAsync(user.Id, cancellationToken),
        _ => await resets.VerifyCodeAsync(link, Input.Code, cancellationToken),
    };

    private async Task<EmailCodeCheck> RedeemRecoveryCodeAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (!await recoveryCodes.RedeemAsync(userId, Input.Code, cancellationToken))
        {
            return EmailCodeCheck.Wrong;
        }
        await audit.RecordAsync(AuditEventTypes.RecoveryCodeUsed, AuditOutcomes.Success, userId,
            new { codes_left = await recoveryCodes.CountUnusedAsync(userId, cancellationToken), purpose = "password_reset" },
            cancellationToken: cancellationToken);
        return EmailCodeCheck.Verified;
    }

    /// <summary>The link and its account when the link may be used; otherwise sets <see cref="State"/> and a 400.</summary>
    private async Task<(PasswordResetLink Link, User User)?> LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var (state, link, user) = await resets.FindAsync(Token, cancellationToken);
        State = state;
        if (state != ResetLinkState.Valid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }
        UsesAuthenticator = await authenticators.IsEnabledAsync(user!.Id, cancellationToken);
        EmailCodesRefused = !UsesAuthenticator && !(await policies.ForUserAsync(user.Id, cancellationToken)).EmailCodesAllowed;
        if (EmailCodesRefused)
        {
            Failure = text[PolicyRefusal];
        }
        MaskedEmail = OtpModel.Mask(user.Email);
        CodeSent = link!.CodeSentAt is not null;
        return (link, user);
    }
}

public sealed class ResetPasswordInput
{
    [Required(ErrorMessage = "Enter the code.")]
    [StringLength(RecoveryCodes.MaxInputLength, ErrorMessage = "That is not a code.")]
    public string Code { get; set; } = "";

    /// <summary>Judged by <see cref="NewPasswordRules"/> alone (empty and only-spaces included): spaces are kept as typed.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    [DataType(DataType.Password)]
    public string? NewPassword { get; set; }

    [Required(ErrorMessage = "Enter the new password again.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords do not match.")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}
