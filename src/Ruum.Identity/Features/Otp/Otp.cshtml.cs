using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Otp;

/// <summary>The second step: an emailed code or an authenticator code, with resend and "trust this device".</summary>
public sealed class OtpModel(
    PendingSignIns pendings,
    EmailCodes emailCodes,
    Authenticators authenticators,
    RecoveryCodes recoveryCodes,
    SecondFactorSignIn signIn,
    SecondFactorGuard guard,
    AuditLog audit,
    IOptions<TrustedDeviceOptions> trustedDevices,
    IOptions<OtpOptions> options,
    SecurityPolicies policies,
    TimeProvider time,
    IStringLocalizer<FormMessages> text) : PageModel
{
    public const string PolicyMessage = "Your organisation requires an authenticator app: emailed codes cannot be used. Sign in again to set one up.";

    public const string MissingMessage = "Your sign-in has expired or was not started. Please sign in again.";
    public const string LockedMessage = "Too many wrong codes. For your security, try again in a few minutes.";
    public const string EarlierCodeMessage = "We sent you a code a moment ago and it is still valid: enter the code from that email.";
    public const string NotSentMessage = "We could not send your code just now. Press \"Send a new code\" to try again.";

    [BindProperty]
    public OtpInput Input { get; set; } = new();

    public SecondFactorMethod? Method { get; private set; }
    public string? MaskedEmail { get; private set; }
    public bool HasRecoveryCodes { get; private set; }

    /// <summary>False when a company of the user forbids trusted devices: the page offers none, and none is remembered.</summary>
    public bool CanTrustDevice { get; private set; } = true;

    private SecurityPolicy Policy { get; set; } = SecurityPolicy.None;
    public int TrustDays => (int)trustedDevices.Value.Lifetime.TotalDays;
    public int CodeMinutes => (int)options.Value.EmailCodeLifetime.TotalMinutes;
    public string? Failure { get; private set; }
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var found = await pendings.FindAsync(HttpContext, HttpContext.RequestAborted);
        if (found is not { } current)
        {
            return Missing();
        }
        if (current.Pending.Method == SecondFactorMethod.EnrolAuthenticator)
        {
            return LocalRedirect(SecondFactorSignIn.EnrolmentPage);
        }
        await DescribeAsync(current.Pending, current.User);
        if (current.Pending.Method == SecondFactorMethod.EmailCode && !Policy.EmailCodesAllowed)
        {
            Failure = text[PolicyMessage];
        }
        else if (await guard.IsLockedAsync(current.User.Id, HttpContext.RequestAborted))
        {
            Failure = text[LockedMessage];
        }
        else if (current.Pending.Method == SecondFactorMethod.EmailCode && !await emailCodes.HasCodeAsync(current.Pending, HttpContext.RequestAborted))
        {
            Failure = text[NotSentMessage];
        }
        else if (current.Pending.Method == SecondFactorMethod.EmailCode && await emailCodes.UsesEarlierCodeAsync(current.Pending, HttpContext.RequestAborted))
        {
            Notice = text[EarlierCodeMessage];
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (await pendings.FindAsync(HttpContext, cancellationToken) is not { } current)
        {
            return Missing();
        }
        var (pending, user) = current;
        if (pending.Method == SecondFactorMethod.EnrolAuthenticator)
        {
            return LocalRedirect(SecondFactorSignIn.EnrolmentPage);
        }
        await DescribeAsync(pending, user);
        if (pending.Method == SecondFactorMethod.EmailCode && !Policy.EmailCodesAllowed)
        {
            // Begun before the policy changed: an emailed code is not accepted now, right or wrong.
            return await RefusedByPolicyAsync(pending, user);
        }
        if (!ModelState.IsValid)
        {
            // A malformed code cannot match any code, so it is not a guess: audited, not counted.
            await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, user.Id, new { reason = "malformed" },
                pending.ClientId, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var now = time.GetUtcNow();
        if (pending.Method == SecondFactorMethod.Authenticator)
        {
            if (await guard.JudgeAsync(user.Id, "authenticator", pending.ClientId, () => authenticators.VerifyAsync(user.Id, Input.Code, cancellationToken),
                    c => c == TotpCheck.Valid ? GuessOutcome.Right : GuessOutcome.Wrong, cancellationToken) is not { } check)
            {
                Failure = text[LockedMessage];
                return Page();
            }
            if (check == TotpCheck.Valid)
            {
                return await FinishAsync(pending, user, SecondFactorFacts.Authenticator(now), "authenticator");
            }
            return await FailAsync(pending, user, check == TotpCheck.Replayed ? "replayed" : "wrong",
                text[check == TotpCheck.Replayed ? "That code was already used. Wait for the next code in your app." : "That code is not right. Check your app and try again."]);
        }

        if (await guard.JudgeAsync(user.Id, "email", pending.ClientId, () => emailCodes.VerifyAsync(pending, Input.Code, cancellationToken),
                c => c.Check switch
                {
                    EmailCodeCheck.Verified => GuessOutcome.Right,
                    EmailCodeCheck.Expired or EmailCodeCheck.NoCode => GuessOutcome.NotJudged,
                    _ => GuessOutcome.Wrong,
                }, cancellationToken) is not { } verdict)
        {
            Failure = text[LockedMessage];
            return Page();
        }
        var (result, triesLeft) = verdict;
        switch (result)
        {
            case EmailCodeCheck.Verified:
                return await FinishAsync(pending, user, SecondFactorFacts.EmailCode(now), "email_code");
            case EmailCodeCheck.Expired:
                await audit.RecordAsync(AuditEventTypes.CodeExpired, AuditOutcomes.Failure, user.Id, null, pending.ClientId, cancellationToken);
                Failure = text["This code has expired. Ask for a new code."];
                return Page();
            case EmailCodeCheck.NoCode:
                Failure = text["There is no code to check. Ask for a new code."];
                return Page();
            case EmailCodeCheck.TooManyAttempts:
                return await FailAsync(pending, user, "code_dead", text["This code was tried too many times and no longer works. Ask for a new code."]);
            default:
                return await FailAsync(pending, user, "wrong", triesLeft > 0
                    ? (triesLeft == 1 ? text["That code is not right. 1 try left."] : text["That code is not right. {0} tries left.", triesLeft])
                    : text["That code is not right, and it no longer works. Ask for a new code."]);
        }
    }

    public async Task<IActionResult> OnPostResendAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        ModelState.Clear();
        if (await pendings.FindAsync(HttpContext, cancellationToken) is not { } current)
        {
            return Missing();
        }
        var (pending, user) = current;
        await DescribeAsync(pending, user);
        if (pending.Method == SecondFactorMethod.EmailCode && !Policy.EmailCodesAllowed)
        {
            return await RefusedByPolicyAsync(pending, user);
        }
        if (pending.Method != SecondFactorMethod.EmailCode)
        {
            Failure = text["Codes come from your authenticator app; none are emailed."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (await guard.IsLockedAsync(user.Id, cancellationToken))
        {
            Failure = text[LockedMessage];
            return Page();
        }
        var (check, retryAfter) = await emailCodes.CanResendAsync(user.Id, cancellationToken);
        if (check != ResendCheck.Allowed)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            await audit.RecordAsync(AuditEventTypes.CodeSent, AuditOutcomes.Failure, user.Id,
                new { method = "email", resend = true, reason = check == ResendCheck.TooSoon ? "too_soon" : "too_many" }, pending.ClientId, cancellationToken);
            Failure = check == ResendCheck.TooSoon
                ? text["Please wait {0} seconds before asking for another code.", seconds]
                : text["You have asked for too many codes. Try again later or use the last code you received."];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Page();
        }
        if (!await emailCodes.SendAsync(pending, user, isResend: true, cancellationToken))
        {
            Failure = text[NotSentMessage];
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        Notice = text["We sent a new code to {0}. Earlier codes no longer work.", MaskedEmail!];
        return Page();
    }

    private async Task<IActionResult> FinishAsync(PendingSignIn pending, User user, SignInFacts facts, string method)
    {
        var cancellationToken = HttpContext.RequestAborted;
        await audit.RecordAsync(AuditEventTypes.CodeVerified, AuditOutcomes.Success, user.Id, new { method }, pending.ClientId, cancellationToken);
        if (!await signIn.CompleteAsync(HttpContext, pending, user, facts, method, Input.TrustDevice && CanTrustDevice, cancellationToken))
        {
            return Missing();
        }
        return LocalRedirect(LoginModel.SafeReturnUrl(pending.ReturnUrl));
    }

    /// <summary>Audits a wrong guess; the guard has already counted it.</summary>
    private async Task<IActionResult> FailAsync(PendingSignIn pending, User user, string reason, string message)
    {
        var cancellationToken = HttpContext.RequestAborted;
        await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, user.Id,
            new { method = pending.Method == SecondFactorMethod.EmailCode ? "email" : "authenticator", reason }, pending.ClientId, cancellationToken);
        Failure = message;
        return Page();
    }

    private async Task<IActionResult> RefusedByPolicyAsync(PendingSignIn pending, User user)
    {
        await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, user.Id, new { method = "email", reason = "company_policy" },
            pending.ClientId, HttpContext.RequestAborted);
        Failure = text[PolicyMessage];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private PageResult Missing()
    {
        Method = null;
        Failure = text[MissingMessage];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task DescribeAsync(PendingSignIn pending, User user)
    {
        Method = pending.Method;
        MaskedEmail = Mask(user.Email);
        HasRecoveryCodes = await recoveryCodes.CountUnusedAsync(user.Id, HttpContext.RequestAborted) > 0;
        Policy = await policies.ForUserAsync(user.Id, HttpContext.RequestAborted);
        CanTrustDevice = Policy.TrustedDevicesAllowed;
    }

    /// <summary>"o***@ruum.test": enough for the user to recognise the address, not enough to learn it.</summary>
    public static string Mask(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.LastIndexOf('@');
        return at <= 0 ? "your email address" : email[0] + "***" + email[at..];
    }
}
