using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// What every credential change does: a new security stamp (refusing refresh tokens issued before), the user's other
/// browser sessions ended, earlier access tokens refused at introspection and userinfo (the user's cutoff), and no
/// trusted devices left. Used by authenticator enrolment and removal and by the password change; and, with every
/// token and authorization revoked too, by whatever ends everything a user holds (<see cref="EndEverythingAsync"/>).
/// </summary>
public sealed class CredentialChanges(RuumDbContext db, TrustedDeviceStore devices, BrowserSessions sessions, AccessTokenCutoffs cutoffs,
    IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, CredentialNotifications notifications, TimeProvider time)
{
    /// <param name="keepSession">The browser session that made the change and stays signed in, if any.</param>
    /// <returns>How many trusted devices were removed.</returns>
    public Task<int> ApplyAsync(Guid userId, string reason, CancellationToken cancellationToken, Guid? keepSession = null) =>
        ApplyAsync(userId, reason, keepSession, SessionEndedBy.CredentialsChanged, cancellationToken);

    /// <summary>
    /// The one "end everything" for disabling, erasing and an incident: the credential change without a session kept,
    /// and the user's refresh tokens and authorizations revoked outright (not only refused by the new stamp), so the
    /// counts are real and nothing depends on a later check.
    /// </summary>
    public async Task<EndedForUser> EndEverythingAsync(Guid userId, string reason, string endedBy, CancellationToken cancellationToken)
    {
        var removedDevices = await ApplyAsync(userId, reason, keepSession: null, endedBy, cancellationToken);
        var subject = userId.ToString("D", CultureInfo.InvariantCulture);
        var revokedTokens = await tokens.RevokeAsync(subject, client: null, Statuses.Valid, type: null, cancellationToken);
        var revokedAuthorizations = await authorizations.RevokeAsync(subject, client: null, Statuses.Valid, type: null, cancellationToken);
        return new EndedForUser(removedDevices, revokedTokens, revokedAuthorizations);
    }

    private async Task<int> ApplyAsync(Guid userId, string reason, Guid? keepSession, string endedBy, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().FindAsync([userId], cancellationToken)
            ?? throw new InvalidOperationException("The user does not exist.");
        user.SecurityStamp = User.NewSecurityStamp();
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var removed = await devices.RevokeAllAsync(userId, reason, cancellationToken);
        await sessions.EndAllAsync(userId, keepSession, endedBy, cancellationToken);
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

/// <summary>What <see cref="CredentialChanges.EndEverythingAsync"/> ended, for the audit event and the incident command's counts.</summary>
public sealed record EndedForUser(int TrustedDevices, long Tokens, long Authorizations);
