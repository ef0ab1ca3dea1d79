using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Users;

public enum InvitationState
{
    Valid,
    Unknown,
    Used,
    Expired,
    Revoked,
}

/// <summary>The memberships an invitation names; they become real only when it is completed.</summary>
public sealed record PendingRoles(Guid? CompanyId, string? CompanyRole, string? ProjectId, string? ProjectRole)
{
    public static PendingRoles None { get; } = new(null, null, null, null);
}

/// <summary>
/// Invitations from creation to completion: the link carries the token, the row its keyed hash. Spending the link
/// (a password chosen) and completing it (signed in with a second factor) are separate steps, so the memberships
/// it names are active only once the person has signed in as their company's policy requires.
/// </summary>
public sealed class Invitations(RuumDbContext db, KeyedHasher hasher, TenancyDirectory tenancy, AuditLog audit, TimeProvider time)
{
    public const string Purpose = "invitation";

    /// <summary>Where the link points (Features/Onboarding).</summary>
    public const string AcceptPath = "account/invitation";

    /// <summary>base64url of 32 random bytes.</summary>
    private const int TokenLength = 43;

    /// <returns>The token for the link: shown once, never stored.</returns>
    public async Task<string> CreateAsync(Guid userId, Guid? companyId, string invitedBy, CancellationToken cancellationToken) =>
        (await InviteAsync(userId, PendingRoles.None with { CompanyId = companyId }, invitedBy, cancellationToken)).Token;

    public async Task<(Invitation Invitation, string Token)> InviteAsync(Guid userId, PendingRoles roles, string invitedBy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var token = NewToken();
        var now = time.GetUtcNow();
        var invitation = new Invitation
        {
            UserId = userId,
            CompanyId = roles.CompanyId,
            CompanyRole = roles.CompanyRole,
            ProjectId = roles.ProjectId,
            ProjectRole = roles.ProjectRole,
            TokenHash = hasher.Hash(Purpose, token),
            InvitedBy = invitedBy,
            CreatedAt = now,
            ExpiresAt = now + Invitation.Lifetime,
        };
        db.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        return (invitation, token);
    }

    /// <summary>A resend: a new token and a new 7 days; the link mailed before stops working.</summary>
    public async Task<string> RenewAsync(Invitation tracked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        var token = NewToken();
        tracked.TokenHash = hasher.Hash(Purpose, token);
        tracked.ExpiresAt = time.GetUtcNow() + Invitation.Lifetime;
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>The invitation of <paramref name="token"/> with its person, and whether the link may still be used.</summary>
    public async Task<(InvitationState State, Invitation? Invitation, User? User)> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is not { Length: TokenLength })
        {
            return (InvitationState.Unknown, null, null);
        }
        // Every key's form: a link mailed before a new hashing key was added still opens.
        var hashes = hasher.Candidates(Purpose, token);
        var found = await db.Set<Invitation>().AsNoTracking().Where(i => hashes.Contains(i.TokenHash))
            .Join(db.Set<User>().AsNoTracking(), i => i.UserId, u => u.Id, (i, u) => new { Invitation = i, User = u })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !found.User.IsEnabled)
        {
            return (InvitationState.Unknown, null, null);
        }
        return (StateOf(found.Invitation, time.GetUtcNow()), found.Invitation, found.User);
    }

    public static InvitationState StateOf(Invitation invitation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return invitation.AcceptedAt is not null ? InvitationState.Used
            : invitation.RevokedAt is not null ? InvitationState.Revoked
            : now >= invitation.ExpiresAt ? InvitationState.Expired
            : InvitationState.Valid;
    }

    /// <summary>Spends the link; of two racing requests only one wins.</summary>
    public async Task<bool> SpendAsync(Invitation invitation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var now = time.GetUtcNow();
        return await db.Set<Invitation>()
            .Where(i => i.Id == invitation.Id && i.TokenHash == invitation.TokenHash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now), cancellationToken) > 0;
    }

    /// <summary>
    /// At every sign-in with a second factor (Otp/SecondFactorSignIn): the memberships of the user's spent invitations
    /// become real, so an invitee who left between the password and the second factor gets them at any later sign-in.
    /// </summary>
    public async Task CompleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        var spent = await db.Set<Invitation>().AsNoTracking()
            .Where(i => i.UserId == userId && i.AcceptedAt != null && i.CompletedAt == null && i.RevokedAt == null)
            .OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        foreach (var invitation in spent)
        {
            var now = time.GetUtcNow();
            if (await db.Set<Invitation>().Where(i => i.Id == invitation.Id && i.CompletedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.CompletedAt, now), cancellationToken) == 0)
            {
                continue;
            }
            if (invitation is { CompanyId: { } companyId, CompanyRole: { } companyRole })
            {
                await tenancy.SetCompanyRoleAsync(userId, companyId, companyRole, cancellationToken);
                if (invitation is { ProjectId: { } projectId, ProjectRole: { } projectRole })
                {
                    await tenancy.SetProjectRoleAsync(userId, projectId, projectRole, cancellationToken);
                }
            }
            await audit.RecordAsync(AuditEventTypes.InvitationCompleted, AuditOutcomes.Success, userId,
                new { invitation_id = invitation.Id, company_id = invitation.CompanyId, role = invitation.CompanyRole,
                    project_id = invitation.ProjectId, project_role = invitation.ProjectRole }, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The companies the user's invitations made them a member of since <paramref name="since"/> (the welcome page).</summary>
    public async Task<IReadOnlyList<string>> CompanyNamesCompletedSinceAsync(Guid userId, DateTimeOffset since, CancellationToken cancellationToken) =>
        await (from i in db.Set<Invitation>()
               join c in db.Set<Company>() on i.CompanyId equals c.Id
               where i.UserId == userId && i.CompletedAt >= since
               orderby c.Name
               select c.Name).Distinct().ToListAsync(cancellationToken);

    public static string Link(Uri? issuer, string token) =>
        (issuer?.AbsoluteUri ?? "/") + AcceptPath + "?token=" + Uri.EscapeDataString(token);

    private static string NewToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
