namespace Ruum.Identity.Features.Audit;

/// <summary>The access events we record. Stable strings: they are queried and exported.</summary>
public static class AuditEventTypes
{
    public const string SignInSucceeded = "sign_in.succeeded";
    public const string SignInFailed = "sign_in.failed";
    public const string SignedOut = "sign_out";
    public const string AccountLocked = "account.locked";
    public const string AccountUnlocked = "account.unlocked";
    public const string CodeSent = "otp.code_sent";
    public const string CodeVerified = "otp.verified";
    public const string CodeFailed = "otp.failed";
    public const string CodeExpired = "otp.expired";
    public const string RecoveryCodeUsed = "otp.recovery_code_used";
    public const string AuthenticatorEnrolled = "authenticator.enrolled";
    public const string AuthenticatorRemoved = "authenticator.removed";
    public const string DeviceTrusted = "device.trusted";
    public const string DeviceUsed = "device.used";
    public const string DeviceRejected = "device.rejected";
    public const string DeviceRevoked = "device.revoked";
    public const string PasswordChanged = "password.changed";
    /// <summary>A spent authorization code or refresh token presented again: its session was ended.</summary>
    public const string TokenReused = "token.reused";
    /// <summary>A code or refresh token refused at the token endpoint: the user is disabled or their credentials changed.</summary>
    public const string TokenRefused = "token.refused";
    /// <summary>A client revoked a token at /connect/revoke.</summary>
    public const string TokenRevoked = "token.revoked";
    /// <summary>Requests refused by a rate limit: one row per client IP per minute, with the count.</summary>
    public const string RateLimited = "rate_limit.refused";
    /// <summary>Password checks refused because every verification slot was busy (503): per client IP per minute.</summary>
    public const string PasswordBusy = "password.busy";
    public const string ConsentGranted = "consent.granted";
    /// <summary>The user picked the company an application works in (the active company of its tokens).</summary>
    public const string CompanySwitched = "company.switched";
    /// <summary><c>revoke --all|--user|--company|--client</c> run by an operator (an incident): the target and the counts.</summary>
    public const string IncidentRevoked = "incident.revoked";
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Failure = "failure";
}
