using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Lockout;

/// <summary>
/// Judges a password attempt against the account's lock and delay, counts it and audits it. Every refusal
/// looks the same to the caller, so the page cannot tell a locked account from a wrong password.
/// A browser holding a live trusted-device cookie of the user is judged by that device's own counter instead:
/// strangers' wrong passwords cannot lock the owner out (ASVS 5.0 V6.3.1), and the device's own still lock it.
/// </summary>
public sealed class PasswordGuard(AccountLockouts lockouts, TrustedDeviceStore devices, CredentialNotifications notifications, AuditLog audit,
    KeyedHasher hasher)
{
    /// <returns>The user when the password step passed; otherwise null.</returns>
    public async Task<User?> JudgeAsync(HttpContext context, PasswordAttempt attempt, string email, string? clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        // An unknown email runs the same statements against an id no user has, so the database work (and its
        // timing) does not tell a known address from an unknown one.
        var userId = attempt.User?.Id ?? UnknownEmailId(email);
        var device = await devices.FindAsync(context, userId, cancellationToken);
        var gate = device is null ? await lockouts.PasswordGateAsync(userId, cancellationToken) : lockouts.DeviceGate(device);
        if (attempt.User is not { } user)
        {
            // Who was tried without storing an address that may belong to nobody (or be a mistyped password).
            await audit.RecordAsync(AuditEventTypes.SignInFailed, AuditOutcomes.Failure, null,
                new { reason = "unknown_email", email_hash = hasher.Pseudonym("audit-email", EmailAddress.Normalize(email)) }, clientId, cancellationToken);
            await lockouts.RecordPasswordFailureAsync(userId, cancellationToken);
            return null;
        }
        if (gate != PasswordGate.Open)
        {
            // Not counted: the attempt was never judged, so the lock cannot grow by hammering it.
            await FailAsync(user, gate == PasswordGate.Locked ? "locked" : "delayed", device, clientId, cancellationToken);
            return null;
        }
        switch (attempt.Outcome)
        {
            case PasswordOutcome.Success when device is not null:
                await lockouts.RecordDevicePasswordSuccessAsync(device, cancellationToken);
                return user;
            case PasswordOutcome.Success:
                await lockouts.RecordPasswordSuccessAsync(user.Id, cancellationToken);
                return user;
            case PasswordOutcome.Disabled:
                await FailAsync(user, "disabled", device, clientId, cancellationToken);
                return null;
            case PasswordOutcome.WrongPassword when device is not null:
                await FailAsync(user, "wrong_password", device, clientId, cancellationToken);
                await lockouts.RecordDevicePasswordFailureAsync(device, cancellationToken);
                return null;
            default:
                await FailAsync(user, "wrong_password", device, clientId, cancellationToken);
                if (await lockouts.RecordPasswordFailureAsync(user.Id, cancellationToken))
                {
                    await notifications.SendAsync(user.Id, CredentialNotice.AccountLocked, cancellationToken);
                }
                return null;
        }
    }

    /// <summary>A keyed hash of the address as an id: stable per address, unguessable, and never a user's (v7) id in practice.</summary>
    private Guid UnknownEmailId(string email) =>
        new(Convert.FromHexString(hasher.Pseudonym("lockout-unknown-email", EmailAddress.Normalize(email)))[..16]);

    private async Task FailAsync(User user, string reason, TrustedDevice? device, string? clientId, CancellationToken cancellationToken) =>
        await audit.RecordAsync(AuditEventTypes.SignInFailed, AuditOutcomes.Failure, user.Id,
            device is null ? (object)new { reason } : new { reason, device_id = device.Id }, clientId, cancellationToken);
}
