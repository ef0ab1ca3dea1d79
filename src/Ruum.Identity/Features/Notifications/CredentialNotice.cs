namespace Ruum.Identity.Features.Notifications;

/// <summary>A change to how the account signs in, told to the account's address (ASVS 5.0 V6.3.7).</summary>
public enum CredentialNotice
{
    PasswordChanged,
    AuthenticatorAdded,
    AuthenticatorRemoved,
    RecoveryCodesRenewed,
    DeviceTrusted,
    AccountLocked,
}
