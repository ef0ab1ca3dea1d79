using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// The rules for people, shared by the admin API and (later) the console. A company admin sees only the members of
/// the companies they administer (anyone else is answered as missing); changes to the account itself are the
/// platform's. Audit summaries name the fields that changed, never their values: the audit log is append-only, and a
/// name or email written into it could never be erased (see README, GDPR).
/// </summary>
public sealed class AdminUsers(
    RuumDbContext db,
    TimeProvider time,
    TrustedDeviceStore devices,
    AccountLockouts lockouts,
    Authenticators authenticators,
    CredentialChanges credentials,
    BrowserSessions sessions,
    AdminAudit audit)
{
    public async Task<Page<UserSummary>> SearchAsync(AdminCaller caller, string? query, AdminPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = page.After;
        var users = Visible(caller);
        if (!string.IsNullOrWhiteSpace(query))
        {
            // Emails as sign-in compares them (NFKC, case-insensitive); names case-insensitively.
            var email = EmailAddress.Normalize(query);
            var name = query.Trim().ToUpperInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL upper(): no .NET culture is involved, and no overload with a comparison translates.
            users = users.Where(u => u.NormalizedEmail.Contains(email) || u.DisplayName.ToUpper().Contains(name));
#pragma warning restore CA1304, CA1311, CA1862
        }
        var rows = await users.Where(u => after == null || u.NormalizedEmail.CompareTo(after) > 0)
            .OrderBy(u => u.NormalizedEmail).Take(page.Limit + 1)
            .Select(u => new { u.NormalizedEmail, Summary = new UserSummary(u.Id, u.Email, u.DisplayName, u.IsEnabled) })
            .ToListAsync(cancellationToken);
        var paged = Pages.Of(rows, page.Limit, r => r.NormalizedEmail);
        return new Page<UserSummary>([.. paged.Items.Select(r => r.Summary)], paged.NextCursor);
    }

    public async Task<AdminResult<UserView>> GetAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken) =>
        await FindAsync(caller, id, cancellationToken) is { } user ? await ViewAsync(caller, user, cancellationToken) : AdminError.NotFound("user");

    public async Task<AdminResult<UserView>> UpdateAsync(AdminCaller caller, Guid id, UserInput input, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindAsync(caller, id, cancellationToken) is not { } user)
        {
            return AdminError.NotFound("user");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (input.DisplayName is { } name && (name.Trim().Length is 0 or > 200 || name.Any(char.IsControl)))
        {
            errors["displayName"] = ["1 to 200 characters, without control characters."];
        }
        if (input.Email is { } email && !LooksLikeEmail(email))
        {
            errors["email"] = [$"An email address of at most {EmailAddress.MaxLength} characters."];
        }
        if (errors.Count > 0)
        {
            return AdminError.Fields(errors);
        }
        if (!caller.IsPlatformAdmin)
        {
            return PlatformOnly();
        }
        if (!isCurrent(VersionOf(user)))
        {
            return AdminError.Stale;
        }
        var changed = new List<string>();
        if (input.Email is { } newEmail && newEmail.Trim() != user.Email)
        {
            var normalized = EmailAddress.Normalize(newEmail);
            if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized && u.Id != id, cancellationToken))
            {
                return AdminError.Conflict("Another user has this email address (compared case-insensitively, after Unicode NFKC).");
            }
            user.Email = newEmail.Trim();
            user.NormalizedEmail = normalized;
            changed.Add("email");
        }
        if (input.DisplayName is { } newName && newName.Trim() != user.DisplayName)
        {
            // Stored as typed: escaping is the job of whatever shows it (Razor encodes, JSON is data).
            user.DisplayName = newName.Trim();
            changed.Add("displayName");
        }
        if (changed.Count > 0)
        {
            user.UpdatedAt = time.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The unique index on the normalised email: another request took it in between.
                return AdminError.Conflict("Another user has this email address (compared case-insensitively, after Unicode NFKC).");
            }
            await audit.RecordAsync(caller, AuditEventTypes.AdminUserUpdated, Target(id), new { fields = changed }, cancellationToken: cancellationToken);
        }
        return await ViewAsync(caller, user, cancellationToken);
    }

    /// <summary>
    /// Disabling ends what the user holds: refresh tokens and authorizations (revoked), access tokens (the cutoff),
    /// browser sessions and refresh tokens checked against the security stamp (a new one), and trusted devices.
    /// </summary>
    public async Task<AdminResult<UserView>> SetEnabledAsync(AdminCaller caller, Guid id, bool enabled, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        var found = await AccountActionAsync(caller, id, isCurrent, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }
        var user = found.Value!;
        if (user.IsEnabled == enabled)
        {
            return await ViewAsync(caller, user, cancellationToken);
        }
        var saved = await UnlessLastPlatformAdminAsync(id, removes: !enabled, async () =>
        {
            user.IsEnabled = enabled;
            user.UpdatedAt = time.GetUtcNow();
            if (!enabled)
            {
                user.SecurityStamp = User.NewSecurityStamp();
            }
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        if (!saved)
        {
            return LastPlatformAdmin;
        }
        if (!enabled)
        {
            await credentials.EndEverythingAsync(id, "disabled", SessionEndedBy.Admin, cancellationToken);
        }
        await audit.RecordAsync(caller, enabled ? AuditEventTypes.AdminUserEnabled : AuditEventTypes.AdminUserDisabled, Target(id),
            cancellationToken: cancellationToken);
        return await ViewAsync(caller, user, cancellationToken);
    }

    public async Task<AdminResult<UserView>> UnlockAsync(AdminCaller caller, Guid id, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        var found = await AccountActionAsync(caller, id, isCurrent, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }
        var user = found.Value!;
        var unlocked = await lockouts.UnlockAsync(id, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminUserUnlocked, Target(id), new { was_locked = unlocked }, cancellationToken: cancellationToken);
        return await ViewAsync(caller, user, cancellationToken);
    }

    /// <summary>
    /// Removes the authenticator and its recovery codes, and applies a credential change (new stamp, no trusted devices):
    /// the next sign-in asks for an emailed code, and the user enrols an authenticator again (NIST SP 800-63B §6.1.2.3).
    /// </summary>
    public async Task<AdminResult<UserView>> ResetSecondFactorAsync(AdminCaller caller, Guid id, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        var found = await AccountActionAsync(caller, id, isCurrent, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }
        var user = found.Value!;
        await authenticators.RemoveAsync(id, cancellationToken);
        await credentials.ApplyAsync(id, "second_factor_reset", cancellationToken);
        await db.Entry(user).ReloadAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminUserSecondFactorReset, Target(id), cancellationToken: cancellationToken);
        return await ViewAsync(caller, user, cancellationToken);
    }

    /// <summary>One device, or all of them (<paramref name="deviceId"/> null).</summary>
    public async Task<AdminResult<UserView>> RemoveDevicesAsync(AdminCaller caller, Guid id, Guid? deviceId, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        var found = await AccountActionAsync(caller, id, isCurrent, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }
        var user = found.Value!;
        var removed = deviceId is { } one
            ? (await devices.RevokeAsync(id, one, cancellationToken) ? 1 : 0)
            : await devices.RevokeAllAsync(id, "admin", cancellationToken);
        if (deviceId is not null && removed == 0)
        {
            return AdminError.NotFound("trusted device");
        }
        await audit.RecordAsync(caller, AuditEventTypes.AdminUserDevicesRemoved, Target(id), new { device_id = deviceId, count = removed },
            cancellationToken: cancellationToken);
        return await ViewAsync(caller, user, cancellationToken);
    }

    /// <summary>Ends every browser session of the user (they sign in again); tokens already issued to applications stay.</summary>
    public async Task<AdminResult<UserView>> EndSessionsAsync(AdminCaller caller, Guid id, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        var found = await AccountActionAsync(caller, id, isCurrent, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }
        var ended = await sessions.EndAllAsync(id, except: null, SessionEndedBy.Admin, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminUserSessionsEnded, Target(id), new { count = ended }, cancellationToken: cancellationToken);
        return await ViewAsync(caller, found.Value!, cancellationToken);
    }

    /// <summary>Grants or removes a platform role; removing the last enabled platform admin is refused.</summary>
    public async Task<AdminResult<UserView>> SetPlatformRoleAsync(AdminCaller caller, Guid id, string role, bool granted, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        var found = await AccountActionAsync(caller, id, isCurrent, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }
        var user = found.Value!;
        var roleId = await db.Set<Role>().Where(r => r.Scope == RoleScope.Platform && r.Name == role).Select(r => (Guid?)r.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (roleId is null)
        {
            return AdminError.NotFound("platform role");
        }
        var has = await db.Set<PlatformRoleAssignment>().AnyAsync(a => a.UserId == id && a.RoleId == roleId, cancellationToken);
        if (has == granted)
        {
            return await ViewAsync(caller, user, cancellationToken);
        }
        if (granted)
        {
            db.Add(new PlatformRoleAssignment { UserId = id, RoleId = roleId.Value, CreatedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            if (!await UnlessLastPlatformAdminAsync(id, removes: role == RoleCatalogue.PlatformAdmin, () =>
                    db.Set<PlatformRoleAssignment>().Where(a => a.UserId == id && a.RoleId == roleId).ExecuteDeleteAsync(cancellationToken), cancellationToken))
            {
                return LastPlatformAdmin;
            }
        }
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, granted ? AuditEventTypes.AdminUserPlatformRoleGranted : AuditEventTypes.AdminUserPlatformRoleRevoked,
            Target(id), new { role }, cancellationToken: cancellationToken);
        return await ViewAsync(caller, user, cancellationToken);
    }

    internal static string Target(Guid id) => "user:" + id.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>The users the caller may see: everyone for the platform, the members of their companies for a company admin.</summary>
    internal IQueryable<User> Visible(AdminCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var users = db.Set<User>().AsQueryable();
        if (caller.IsPlatformAdmin)
        {
            return users;
        }
        var companies = caller.AdministeredCompanies.ToList();
        return users.Where(u => db.Set<CompanyMembership>().Any(m => m.UserId == u.Id && companies.Contains(m.CompanyId)));
    }

    internal Task<User?> FindAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken) =>
        Visible(caller).SingleOrDefaultAsync(u => u.Id == id, cancellationToken);

    internal static AdminError LastPlatformAdmin { get; } =
        AdminError.Conflict("This is the last platform admin: make someone else a platform admin first.");

    /// <summary>Any constant: the PostgreSQL advisory lock that serialises changes which may remove a platform admin.</summary>
    private const long PlatformAdminsLockKey = 0x52_75_75_6D_50_41_64;

    /// <summary>
    /// Runs <paramref name="change"/> (which takes <paramref name="userId"/>'s platform admin away when
    /// <paramref name="removes"/>) unless that would leave no enabled platform admin; false when refused. Check and change
    /// are one transaction under a transaction-scoped advisory lock on PostgreSQL (SQLite allows one writer at a time):
    /// two admins demoting, disabling or erasing the last two platform admins at once cannot both pass the check.
    /// </summary>
    internal async Task<bool> UnlessLastPlatformAdminAsync(Guid userId, bool removes, Func<Task> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!removes)
        {
            await change();
            return true;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [PlatformAdminsLockKey], cancellationToken);
        }
        if (await IsLastPlatformAdminAsync(userId, cancellationToken))
        {
            return false;
        }
        await change();
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Whether removing <paramref name="userId"/> would leave no enabled platform admin.</summary>
    internal async Task<bool> IsLastPlatformAdminAsync(Guid userId, CancellationToken cancellationToken)
    {
        var adminRole = RoleCatalogue.Roles.Single(r => r.Scope == RoleScope.Platform && r.Name == RoleCatalogue.PlatformAdmin).Id;
        var admins = db.Set<PlatformRoleAssignment>().Where(a => a.RoleId == adminRole && db.Set<User>().Any(u => u.Id == a.UserId && u.IsEnabled));
        return await admins.AnyAsync(a => a.UserId == userId, cancellationToken)
            && !await admins.AnyAsync(a => a.UserId != userId, cancellationToken);
    }

    /// <summary>A change to the account itself: the user must be visible, the caller a platform admin, and If-Match current.</summary>
    private async Task<AdminResult<User>> AccountActionAsync(AdminCaller caller, Guid id, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } user)
        {
            return AdminError.NotFound("user");
        }
        if (!caller.IsPlatformAdmin)
        {
            return PlatformOnly();
        }
        return isCurrent(VersionOf(user)) ? user : AdminError.Stale;
    }

    private static AdminError PlatformOnly() =>
        new(StatusCodes.Status403Forbidden, "Only platform admins change a person's account: it may belong to other companies too.");

    internal async Task<UserView> ViewAsync(AdminCaller caller, User user, CancellationToken cancellationToken)
    {
        var id = user.Id;
        var administered = caller.AdministeredCompanies.ToList();
        var all = caller.IsPlatformAdmin;
        var companies = await (from m in db.Set<CompanyMembership>()
                               join c in db.Set<Company>() on m.CompanyId equals c.Id
                               join r in db.Set<Role>() on m.RoleId equals r.Id
                               where m.UserId == id && (all || administered.Contains(m.CompanyId))
                               select new UserCompany(c.Id, c.Name, r.Name)).ToListAsync(cancellationToken);
        var projects = await (from m in db.Set<ProjectMembership>()
                              join p in db.Set<Project>() on m.ProjectId equals p.Id
                              join r in db.Set<Role>() on m.RoleId equals r.Id
                              where m.UserId == id && (all || administered.Contains(m.CompanyId))
                              select new UserProject(p.Id, p.Name, p.CompanyId, r.Name)).ToListAsync(cancellationToken);
        var platformRoles = await (from a in db.Set<PlatformRoleAssignment>()
                                   join r in db.Set<Role>() on a.RoleId equals r.Id
                                   where a.UserId == id
                                   select r.Name).ToListAsync(cancellationToken);
        var authenticator = await authenticators.IsEnabledAsync(id, cancellationToken);
        var recoveryCodes = await db.Set<RecoveryCode>().CountAsync(r => r.UserId == id && r.UsedAt == null, cancellationToken);
        var trusted = await devices.ListActiveAsync(id, cancellationToken);
        var lockout = await db.Set<AccountLockout>().AsNoTracking().SingleOrDefaultAsync(l => l.UserId == id, cancellationToken);
        var now = time.GetUtcNow();
        // The newest successful sign-in; by sequence, as SQLite cannot order DateTimeOffset values.
        var lastSignIn = await db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.UserId == id && e.Type == AuditEventTypes.SignInSucceeded && e.Sequence != null)
            .OrderByDescending(e => e.Sequence).Select(e => (DateTimeOffset?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        return new UserView(
            id, user.Email, user.DisplayName, user.IsEnabled, user.CreatedAt, lastSignIn,
            [.. platformRoles.Order(StringComparer.Ordinal)],
            [.. companies.OrderBy(c => c.CompanyName, StringComparer.Ordinal)],
            [.. projects.OrderBy(p => p.ProjectName, StringComparer.Ordinal)],
            new UserSecondFactor(authenticator, recoveryCodes, EmailCode: true),
            [.. trusted.Select(d => new UserDevice(d.Id, d.Label, d.CreatedAt, d.LastUsedAt, d.ExpiresAt))],
            new UserLockout(lockout?.PasswordLockedUntil > now ? lockout.PasswordLockedUntil : null,
                lockout?.SecondFactorLockedUntil > now ? lockout.SecondFactorLockedUntil : null),
            [.. (await sessions.ListLiveAsync(id, cancellationToken))
                .Select(s => new UserSession(s.Id, s.DeviceLabel, s.IpAddress, s.CreatedAt, s.LastSeenAt, [.. s.Clients]))])
        {
            Version = VersionOf(user),
        };
    }

    /// <summary>The ETag: a digest of what an admin can change, so any such change (and no read) makes it stale.</summary>
    internal static string VersionOf(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var text = string.Join('\n', user.Email, user.DisplayName, user.IsEnabled ? "1" : "0", user.SecurityStamp,
            (user.UpdatedAt.UtcTicks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture));
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..12]);
    }

    private static bool LooksLikeEmail(string email)
    {
        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        return trimmed.Length <= EmailAddress.MaxLength && at > 0 && at < trimmed.Length - 1 && !trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }
}
