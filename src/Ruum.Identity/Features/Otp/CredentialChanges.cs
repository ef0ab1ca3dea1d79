using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// What every credential change does: a new security stamp (ending other sessions and refresh tokens) and no
/// trusted devices left. Used by authenticator enrolment and removal; a password change must call it too.
/// </summary>
public sealed class CredentialChanges(RuumDbContext db, TrustedDeviceStore devices, TimeProvider time)
{
    /// <returns>How many trusted devices were removed.</returns>
    public async Task<int> ApplyAsync(Guid userId, string reason, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().FindAsync([userId], cancellationToken)
            ?? throw new InvalidOperationException("The user does not exist.");
        user.SecurityStamp = User.NewSecurityStamp();
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return await devices.RevokeAllAsync(userId, reason, cancellationToken);
    }

    /// <summary>Keeps the current browser signed in under the new stamp, with its original sign-in facts.</summary>
    public async Task ApplyAndKeepSessionAsync(HttpContext context, ClaimsPrincipal session, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = session.UserId();
        var facts = SignInFacts.ReadFrom(session) ?? throw new InvalidOperationException("The session has no sign-in facts.");
        await ApplyAsync(userId, reason, cancellationToken);
        var user = await db.Set<User>().FindAsync([userId], cancellationToken);
        await context.SignInAsync(SessionSetup.Scheme, SessionSetup.CreateSessionPrincipal(user!, facts));
    }
}
