using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// GDPR: access (Art. 15, one JSON document of everything stored about the person) and erasure (Art. 17).
/// Erasure deletes the <c>users</c> row and everything hanging from it; the append-only audit log keeps its rows,
/// which name the person only by their user id. With the row gone that id maps to no one: it is the stable
/// pseudonym, and no audit row is rewritten, so the hash chain still verifies (see README, GDPR).
/// </summary>
public sealed class UserPrivacy(RuumDbContext db, TimeProvider time, AdminUsers users, CredentialChanges credentials, AdminAudit audit)
{
    public async Task<AdminResult<JsonElement>> ExportAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await users.FindAsync(caller, id, cancellationToken) is not { } user)
        {
            return AdminError.NotFound("user");
        }
        if (!caller.IsPlatformAdmin)
        {
            return new AdminError(StatusCodes.Status403Forbidden, "Only platform admins export a person's data.");
        }
        var document = await DocumentAsync(caller, user, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminUserExported, AdminUsers.Target(id), cancellationToken: cancellationToken);
        return document;
    }

    /// <summary>The signed-in person's own export (the account centre): the same document, every company of theirs in it.</summary>
    public async Task<JsonElement> ExportOwnAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == id, cancellationToken);
        return await DocumentAsync(Own(id), user, cancellationToken);
    }

    private async Task<JsonElement> DocumentAsync(AdminCaller caller, User user, CancellationToken cancellationToken)
    {
        var id = user.Id;
        var view = await users.ViewAsync(caller, user, cancellationToken);
        var subject = Subject(id);
        var target = AdminUsers.Target(id);
        var authenticator = await db.Set<Authenticator>().AsNoTracking().Where(a => a.UserId == id)
            .Select(a => new { a.CreatedAt, a.ConfirmedAt }).SingleOrDefaultAsync(cancellationToken);
        var recoveryCodes = await db.Set<RecoveryCode>().AsNoTracking().Where(r => r.UserId == id)
            .Select(r => new { r.CreatedAt, r.UsedAt }).ToListAsync(cancellationToken);
        var devices = await db.Set<TrustedDevice>().AsNoTracking().Where(d => d.UserId == id)
            .Select(d => new { d.Id, d.Label, d.CreatedAt, d.LastUsedAt, d.ExpiresAt, d.RevokedAt }).ToListAsync(cancellationToken);
        var authorizations = await (from a in db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking()
                                    where a.Subject == subject
                                    select new { a.Id, client = a.Application!.ClientId, a.Scopes, a.Status, a.Type, a.CreationDate })
            .ToListAsync(cancellationToken);
        var tokens = await (from t in db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
                            where t.Subject == subject
                            select new { t.Id, client = t.Application!.ClientId, t.Type, t.Status, t.CreationDate, t.ExpirationDate })
            .ToListAsync(cancellationToken);
        // Events of the person's own doing, and admin changes made to them (their id is in the target).
        var events = await db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.UserId == id || (e.Type.StartsWith("admin.") && e.Details != null && e.Details.Contains(target)))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.Id, e.OccurredAt, e.Type, e.Outcome, e.ClientId, e.IpAddress, e.UserAgent, e.Details })
            .ToListAsync(cancellationToken);
        var document = new
        {
            exportedAt = time.GetUtcNow(),
            profile = new { user.Id, user.Email, user.DisplayName, enabled = user.IsEnabled, user.CreatedAt, user.UpdatedAt, view.LastSignInAt },
            view.PlatformRoles,
            view.Companies,
            view.Projects,
            secondFactor = new { authenticator, recoveryCodes },
            trustedDevices = devices,
            view.Sessions,
            consentsAndAuthorizations = authorizations,
            tokens,
            auditEvents = events.Select(e => new
            {
                e.Id, e.OccurredAt, e.Type, e.Outcome, e.ClientId, e.IpAddress, e.UserAgent,
                details = e.Details is null ? (JsonElement?)null : JsonDocument.Parse(e.Details).RootElement.Clone(),
            }),
        };
        return JsonSerializer.SerializeToElement(document, AdminJson.Options);
    }

    /// <summary>
    /// Erases the person: tokens revoked and their rows deleted, then the user row with everything that cascades from it
    /// (memberships, devices, authenticator, recovery codes, lockout counters, pending sign-ins, emailed codes).
    /// The access-token cutoff row stays: it holds only the id and keeps refusing tokens already issued.
    /// </summary>
    public async Task<AdminError?> EraseAsync(AdminCaller caller, Guid id, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await users.FindAsync(caller, id, cancellationToken) is not { } user)
        {
            return AdminError.NotFound("user");
        }
        if (!caller.IsPlatformAdmin)
        {
            return new AdminError(StatusCodes.Status403Forbidden, "Only platform admins erase a person.");
        }
        if (!isCurrent(AdminUsers.VersionOf(user)))
        {
            return AdminError.Stale;
        }
        // Erasing begins by taking the platform roles away, checked and done under the same lock as a demotion.
        if (!await users.UnlessLastPlatformAdminAsync(id, removes: true, () =>
                db.Set<PlatformRoleAssignment>().Where(a => a.UserId == id).ExecuteDeleteAsync(cancellationToken), cancellationToken))
        {
            return AdminUsers.LastPlatformAdmin;
        }
        await EraseAsync(user, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminUserErased, AdminUsers.Target(id), cancellationToken: cancellationToken);
        return null;
    }

    /// <summary>
    /// The person erases themselves (the account centre, after a fresh password and second factor): the same erasure.
    /// False, and nothing erased, when they are the last platform admin.
    /// </summary>
    public async Task<bool> EraseOwnAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await users.IsLastPlatformAdminAsync(id, cancellationToken))
        {
            return false;
        }
        await EraseAsync(await db.Set<User>().SingleAsync(u => u.Id == id, cancellationToken), cancellationToken);
        return true;
    }

    private async Task EraseAsync(User user, CancellationToken cancellationToken)
    {
        await credentials.EndEverythingAsync(user.Id, "erased", SessionEndedBy.Admin, cancellationToken);
        var subject = Subject(user.Id);
        await db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == subject).ExecuteDeleteAsync(cancellationToken);
        await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().Where(a => a.Subject == subject).ExecuteDeleteAsync(cancellationToken);
        db.Remove(user);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The person looking at their own record: every company and project of theirs, as no company admin sees it.</summary>
    private static AdminCaller Own(Guid id) => new(id, null, IsPlatformAdmin: true, new HashSet<Guid>());

    private static string Subject(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);
}
