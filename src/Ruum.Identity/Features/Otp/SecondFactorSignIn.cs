using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Otp;

/// <summary>What the session and tokens say about each way of finishing a sign-in (RFC 8176 <c>amr</c> values).</summary>
public static class SecondFactorFacts
{
    public const string EmailCodeContext = "urn:ruum:acr:email-otp";
    public const string RecoveryCodeContext = "urn:ruum:acr:recovery-code";

    /// <summary>
    /// The one value a client may ask for with <c>acr_values</c> (advertised in discovery): a sign-in with a second
    /// factor. When asked for and met, the tokens' <c>acr</c> is this value (OIDC Core §3.1.2.1, §5.5.1.1).
    /// </summary>
    public const string MultiFactorContext = "urn:ruum:acr:mfa";

    /// <summary>Password + authenticator app: <c>otp</c> names the method, <c>mfa</c> that there were two.</summary>
    public static SignInFacts Authenticator(DateTimeOffset now) => new(now, [SignInFacts.PasswordMethod, "otp", SignInFacts.MultiFactorMethod], null, now);

    /// <summary>RFC 8176 has no value for an emailed code; <c>acr</c> says which second factor it was.</summary>
    public static SignInFacts EmailCode(DateTimeOffset now) => new(now, [SignInFacts.PasswordMethod, SignInFacts.MultiFactorMethod], EmailCodeContext, now);

    public static SignInFacts RecoveryCode(DateTimeOffset now) => new(now, [SignInFacts.PasswordMethod, SignInFacts.MultiFactorMethod], RecoveryCodeContext, now);

    /// <summary>A remembered device is not an authenticator (NIST SP 800-63B §5.1): password only.</summary>
    public static SignInFacts TrustedDevice(DateTimeOffset now) => new(now, [SignInFacts.PasswordMethod]);
}

/// <summary>After the password: skip the code on a trusted device, or start the second step; and finish it.</summary>
public sealed class SecondFactorSignIn(
    PendingSignIns pendings,
    EmailCodes emailCodes,
    Authenticators authenticators,
    TrustedDeviceStore devices,
    SecondFactorGuard guard,
    AuditLog audit,
    FreshSignIns freshSignIns,
    CredentialNotifications notifications,
    SecurityPolicies policies,
    Invitations invitations,
    IOptions<Login.SessionOptions> sessionOptions,
    TimeProvider time)
{
    public const string OtpPage = "/account/otp";

    /// <summary>Where a user whose company policy requires an authenticator app, and who has none, sets one up to finish signing in.</summary>
    public const string EnrolmentPage = "/account/otp/enrol";

    /// <returns>Where the browser goes next: the return URL when signed in, otherwise the code page.</returns>
    public async Task<string> AfterPasswordAsync(HttpContext context, User user, string? returnUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var clientId = ClientIdOf(returnUrl);
        // prompt=login, an exceeded max_age or acr_values asking for it: a remembered device is no second factor.
        var secondFactorAsked = freshSignIns.ReadFromReturnUrl(returnUrl) is { SecondFactor: true };
        // A company that forbids trusted devices: an earlier "trust this device" no longer skips the code.
        var policy = await policies.ForUserAsync(user.Id, cancellationToken);
        if (!secondFactorAsked && policy.TrustedDevicesAllowed && await devices.IsTrustedAsync(context, user.Id, clientId, cancellationToken))
        {
            await SignInAsync(context, user, SecondFactorFacts.TrustedDevice(time.GetUtcNow()), "trusted_device", clientId, returnUrl,
                policy, cancellationToken);
            return LoginModel.SafeReturnUrl(returnUrl);
        }
        return await StartSecondStepAsync(context, user, returnUrl, clientId, policy, cancellationToken);
    }

    /// <summary>
    /// Re-authentication before a credential change: the password has just passed again; the second step follows
    /// even on a trusted device, which is no authenticator. Completing it renews the session's second-factor time.
    /// </summary>
    public async Task<string> ReauthenticateAsync(HttpContext context, User user, string returnUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await StartSecondStepAsync(context, user, returnUrl, clientId: null, await policies.ForUserAsync(user.Id, cancellationToken),
            cancellationToken);
    }

    /// <summary>The one place the second factor of a sign-in is chosen: the user's authenticator, else an emailed code if the policy allows.</summary>
    private async Task<string> StartSecondStepAsync(HttpContext context, User user, string? returnUrl, string? clientId, SecurityPolicy policy,
        CancellationToken cancellationToken)
    {
        var method = await authenticators.IsEnabledAsync(user.Id, cancellationToken) ? SecondFactorMethod.Authenticator : SecondFactorMethod.EmailCode;
        if (method == SecondFactorMethod.EmailCode && !policy.EmailCodesAllowed)
        {
            // An emailed code is no AAL2 authenticator (NIST SP 800-63B §5.1.3): none is sent; the user sets up an app instead.
            await pendings.StartAsync(context, user, SecondFactorMethod.EnrolAuthenticator, returnUrl, clientId, cancellationToken);
            await audit.RecordAsync(AuditEventTypes.AuthenticatorEnrolmentRequired, AuditOutcomes.Success, user.Id, new { reason = "company_policy" },
                clientId, cancellationToken);
            return EnrolmentPage;
        }
        if (method == SecondFactorMethod.Authenticator || await guard.IsLockedAsync(user.Id, cancellationToken))
        {
            await pendings.StartAsync(context, user, method, returnUrl, clientId, cancellationToken);
            return OtpPage;
        }
        // A right password is no licence to mail codes at will: while a mailed code still works, a new one goes out
        // only within the resend limits, and otherwise the code already mailed finishes this sign-in too.
        var live = await emailCodes.FindLiveCodeOwnerAsync(user, cancellationToken);
        if (live is not null && (await emailCodes.CanResendAsync(user.Id, cancellationToken)).Check != ResendCheck.Allowed)
        {
            var waiting = await pendings.StartAsync(context, user, method, returnUrl, clientId, cancellationToken, sharesCodeOf: live.Id);
            await audit.RecordAsync(AuditEventTypes.CodeSent, AuditOutcomes.Failure, user.Id,
                new { method = "email", resend = true, reason = "earlier_code_valid" }, waiting.ClientId, cancellationToken);
            return OtpPage;
        }
        var pending = await pendings.StartAsync(context, user, method, returnUrl, clientId, cancellationToken);
        await emailCodes.SendAsync(pending, user, isResend: live is not null, cancellationToken);
        return OtpPage;
    }

    /// <returns>False when this pending sign-in was already finished (by a racing request).</returns>
    public async Task<bool> CompleteAsync(HttpContext context, PendingSignIn pending, User user, SignInFacts facts, string method,
        bool trustDevice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(user);
        if (!await pendings.CompleteAsync(context, pending, cancellationToken))
        {
            return false;
        }
        var policy = await policies.ForUserAsync(user.Id, cancellationToken);
        if (trustDevice && policy.TrustedDevicesAllowed)
        {
            await devices.TrustAsync(context, user.Id, pending.ClientId, cancellationToken);
            await notifications.SendAsync(user.Id, CredentialNotice.DeviceTrusted, cancellationToken);
        }
        await SignInAsync(context, user, facts, method, pending.ClientId, pending.ReturnUrl, policy, cancellationToken);
        return true;
    }

    /// <summary>Replaces any current session only now, when the new sign-in has succeeded.</summary>
    private async Task SignInAsync(HttpContext context, User user, SignInFacts facts, string method, string? clientId, string? returnUrl,
        SecurityPolicy policy, CancellationToken cancellationToken)
    {
        // The company's longest session, when shorter than the server's: the session store ends it then.
        if (policy.MaxSession is { } longest && longest < sessionOptions.Value.AbsoluteTimeout)
        {
            facts = facts with { SessionEndsAt = facts.AuthTime + longest };
        }
        if (facts.HasSecondFactor)
        {
            await invitations.CompleteAsync(user.Id, cancellationToken);
        }
        var session = SessionSetup.CreateSessionPrincipal(user, facts);
        FreshSignIns.WriteTo(session, freshSignIns.ReadFromReturnUrl(returnUrl));
        await context.SignInAsync(SessionSetup.Scheme, session);
        await audit.RecordAsync(AuditEventTypes.SignInSucceeded, AuditOutcomes.Success, user.Id, new { method, amr = facts.Methods },
            clientId, cancellationToken);
    }

    /// <summary>The OAuth client a sign-in is for, read from the /connect/authorize return URL (for the audit log only).</summary>
    public static string? ClientIdOf(string? returnUrl)
    {
        if (returnUrl is null || returnUrl.Length > 8000)
        {
            return null;
        }
        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? null
            : QueryHelpers.ParseQuery(returnUrl[query..]).TryGetValue("client_id", out var clientId) ? clientId.ToString() : null;
    }
}
