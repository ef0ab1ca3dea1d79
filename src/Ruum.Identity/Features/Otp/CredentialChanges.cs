using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// What every credential change does: a new security stamp (refusing refresh tokens issued before), the user's other
/// browser sessions ended, earlier access tokens refused at introspection and userinfo (the user's cutoff), and no
/// trusted devices left. Used by authenticator enrolment and removal and by the password change.
/// </summary>
public sealed class CredentialChanges(RuumDbContext db, TrustedDeviceStore devices, BrowserSessions sessions, AccessTokenCutoffs cutoffs,
    CredentialNotifications notifications, TimeProvider time)
{
    /// <param name="keepSession">The browser session that made the change and stays signed in, if any.</param>
    /// <returns>How many trusted devices were removed.</returns>
    public async Task<int> ApplyAsync(Guid userId, string reason, CancellationToken cancellationToken, Guid? keepSession = null)
    {
        var user = await db.Set<User>().FindAsync([userId], cancellationToken)
            ?? throw new InvalidOperationException("The user does not exist.");
        user.SecurityStamp = User.NewSecurityStamp();
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var removed = await devices.RevokeAllAsync(userId, reason, cancellationToken);
        await sessions.EndAllAsync(userId, keepSession, SessionEndedBy.CredentialsChanged, cancellationToken);
        await cutoffs.RevokeIssuedToUserAsync(userId, cancellationToken);
        return removed;
    }

    /// <summary>Keeps the current browser signed in under the new stamp, with its original sign-in facts; then tells the account's address.</summary>
    public async Task ApplyAndKeepSessionAsync(HttpContext context, ClaimsPrincipal session, string reason, CredentialNotice notice,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = session.UserId();
        var facts = SignInFacts.ReadFrom(session) ?? throw new InvalidOperationException("The session has no sign-in facts.");
        await ApplyAsync(userId, reason, cancellationToken, SessionClaims.SessionIdOf(session));
        var user = await db.Set<User>().FindAsync([userId], cancellationToken);
        await context.SignInAsync(SessionSetup.Scheme, SessionSetup.CreateSessionPrincipal(user!, facts));
        await notifications.SendAsync(userId, notice, cancellationToken);
    }
}
