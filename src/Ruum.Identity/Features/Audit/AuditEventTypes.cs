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
    /// <summary>Browser sessions ended by someone other than their own sign-out; details say by whom (<c>ended_by</c>) and how many.</summary>
    public const string SessionEnded = "session.ended";
    /// <summary>The user revoked an application's access (its authorizations and tokens) at /account/apps.</summary>
    public const string ConsentRevoked = "consent.revoked";
    /// <summary>A mail telling the user about a credential change (password, authenticator, recovery codes, trusted device, lock).</summary>
    public const string CredentialChangeEmailSent = "notification.credential_change_sent";
    /// <summary>The user replaced their recovery codes (after re-authenticating).</summary>
    public const string RecoveryCodesRenewed = "otp.recovery_codes_renewed";
    // Changes made through the admin API (Features/Admin): details name the actor, the target and what changed.
    public const string AdminClientCreated = "admin.client.created";
    public const string AdminClientUpdated = "admin.client.updated";
    public const string AdminClientDisabled = "admin.client.disabled";
    public const string AdminClientEnabled = "admin.client.enabled";
    public const string AdminClientDeleted = "admin.client.deleted";
    public const string AdminClientSecretRotated = "admin.client.secret_rotated";
    public const string AdminScopeCreated = "admin.scope.created";
    public const string AdminScopeUpdated = "admin.scope.updated";
    public const string AdminScopeDeleted = "admin.scope.deleted";
    /// <summary>The bootstrap command made a platform admin and the automation client.</summary>
    public const string AdminBootstrapped = "admin.bootstrapped";
    // Users, companies, projects and memberships through the admin API: details name fields changed, never personal values.
    public const string AdminUserUpdated = "admin.user.updated";
    public const string AdminUserDisabled = "admin.user.disabled";
    public const string AdminUserEnabled = "admin.user.enabled";
    public const string AdminUserUnlocked = "admin.user.unlocked";
    public const string AdminUserSecondFactorReset = "admin.user.second_factor_reset";
    public const string AdminUserDevicesRemoved = "admin.user.devices_removed";
    public const string AdminUserPlatformRoleGranted = "admin.user.platform_role_granted";
    public const string AdminUserPlatformRoleRevoked = "admin.user.platform_role_revoked";
    public const string AdminUserExported = "admin.user.exported";
    public const string AdminUserErased = "admin.user.erased";
    public const string AdminCompanyCreated = "admin.company.created";
    public const string AdminCompanyUpdated = "admin.company.updated";
    public const string AdminCompanyDeleted = "admin.company.deleted";
    public const string AdminProjectCreated = "admin.project.created";
    public const string AdminProjectUpdated = "admin.project.updated";
    public const string AdminProjectDeleted = "admin.project.deleted";
    public const string AdminMembershipSet = "admin.membership.set";
    public const string AdminMembershipRemoved = "admin.membership.removed";
    public const string AdminRoleCreated = "admin.role.created";
    /// <summary>A forgotten-password link was asked for (success: one was mailed; failure: the reason nothing was).</summary>
    public const string PasswordResetRequested = "password_reset.requested";
    /// <summary>The password was set through a reset link and a second factor.</summary>
    public const string PasswordReset = "password.reset";
    /// <summary><c>revoke --all|--user|--company|--client</c> run by an operator (an incident): the target and the counts.</summary>
    public const string IncidentRevoked = "incident.revoked";
    /// <summary>The user asked to change their address (success: the confirmation link was mailed; failure: the reason).</summary>
    public const string EmailChangeRequested = "email_change.requested";
    /// <summary>The new address confirmed its link: the account's address changed and is verified.</summary>
    public const string EmailChanged = "email.changed";
    /// <summary>The old address used its "this was not me" link: the pending change was cancelled.</summary>
    public const string EmailChangeReported = "email_change.reported";
    /// <summary>The user downloaded their own data (GDPR Art. 15) from the account centre.</summary>
    public const string AccountExported = "account.exported";
    /// <summary>The user erased their own account (GDPR Art. 17); the id left in the log names no one any more.</summary>
    public const string AccountDeleted = "account.deleted";
    /// <summary>An admin ended every browser session of a user (the admin console).</summary>
    public const string AdminUserSessionsEnded = "admin.user.sessions_ended";
    public const string AdminInvitationCreated = "admin.invitation.created";
    public const string AdminInvitationResent = "admin.invitation.resent";
    public const string AdminInvitationRevoked = "admin.invitation.revoked";
    /// <summary>An invitation link was used: the person chose a name and a password (success), or the link was refused (failure).</summary>
    public const string InvitationAccepted = "invitation.accepted";
    /// <summary>The invited person signed in with a second factor: the memberships the invitation named became active.</summary>
    public const string InvitationCompleted = "invitation.completed";
    /// <summary>A company's security policy was changed through the admin API: the new policy.</summary>
    public const string AdminCompanyPolicyChanged = "admin.company.policy_changed";
    /// <summary>A sign-in whose company policy requires an authenticator app enrolled one before it completed.</summary>
    public const string AuthenticatorEnrolmentRequired = "authenticator.enrolment_required";
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Failure = "failure";
}
