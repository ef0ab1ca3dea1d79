using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Audit;

/// <summary>The signed-in user's own recent access events.</summary>
[Authorize]
public sealed class ActivityModel(RuumDbContext db, IOptions<AuditOptions> options) : PageModel
{
    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var userId = User.UserId();
        Events = await db.Set<AuditEvent>().AsNoTracking().Where(e => e.UserId == userId)
            .OrderByDescending(e => e.Id).Take(options.Value.ActivityPageSize).ToListAsync(HttpContext.RequestAborted);
    }

    /// <summary>Event types in words a person understands.</summary>
    public static string Describe(AuditEvent audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.Type switch
        {
            AuditEventTypes.SignInSucceeded => "Signed in",
            AuditEventTypes.SignInFailed => "Sign-in failed",
            AuditEventTypes.SignedOut => "Signed out",
            AuditEventTypes.AccountLocked => "Account locked after failed attempts",
            AuditEventTypes.AccountUnlocked => "Account unlocked",
            AuditEventTypes.CodeSent => audit.Outcome == AuditOutcomes.Success ? "Sign-in code sent" : "Sign-in code not sent",
            AuditEventTypes.CodeVerified => "Sign-in code accepted",
            AuditEventTypes.CodeFailed => "Wrong sign-in code",
            AuditEventTypes.CodeExpired => "Expired sign-in code",
            AuditEventTypes.RecoveryCodeUsed => "Recovery code used",
            AuditEventTypes.AuthenticatorEnrolled => "Authenticator app set up",
            AuditEventTypes.AuthenticatorRemoved => "Authenticator app removed",
            AuditEventTypes.DeviceTrusted => "Device trusted",
            AuditEventTypes.DeviceUsed => "Trusted device used",
            AuditEventTypes.DeviceRejected => "Device not trusted",
            AuditEventTypes.DeviceRevoked => "Trusted device removed",
            AuditEventTypes.PasswordChanged => "Password changed",
            AuditEventTypes.TokenReused => "Session ended: a used sign-in token was presented again",
            AuditEventTypes.TokenRefused => "App sign-in refused: account disabled or credentials changed",
            AuditEventTypes.TokenRevoked => "An app signed you out of it (token revoked)",
            AuditEventTypes.RateLimited => "Too many attempts from one network",
            AuditEventTypes.PasswordBusy => "Sign-in refused: too busy",
            AuditEventTypes.ConsentGranted => "App allowed to access your account",
            AuditEventTypes.CompanySwitched => "Company chosen for an app",
            AuditEventTypes.CredentialChangeEmailSent => audit.Outcome == AuditOutcomes.Success ? "Security email sent to you" : "Security email not sent",
            AuditEventTypes.RecoveryCodesRenewed => "New recovery codes created",
            _ => audit.Type,
        };
    }
}
