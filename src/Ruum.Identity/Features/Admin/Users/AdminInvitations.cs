using Ruum.Identity.Features.Notifications.Templates;
using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Email;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// Invite, list, resend and revoke. A company owner or admin invites into their own companies only, and another
/// company's invitation is answered exactly as a missing id (404). An address that already has an account (compared
/// after NFKC and case folding) is a 409: existing people join a company through its members endpoints.
/// </summary>
public sealed partial class AdminInvitations(
    RuumDbContext db,
    Invitations invitations,
    PasswordHasher hasher,
    IEmailSender email,
    MailTemplates templates,
    AdminAudit audit,
    TimeProvider time,
    ILogger<AdminInvitations> logger)
{
    public async Task<AdminResult<InvitationView>> InviteAsync(AdminCaller caller, InvitationInput input, Uri linkBase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var address = input.Email?.Trim();
        if (address is null || address.Length > EmailAddress.MaxLength || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            errors["email"] = ["A single email address of at most 254 characters."];
        }
        var name = input.DisplayName?.Trim();
        if (name is null || name.Length is 0 or > 200 || name.Any(char.IsControl))
        {
            errors["displayName"] = ["1 to 200 characters, without control characters."];
        }
        if (input.CompanyId is null && (input.Role ?? input.ProjectId ?? input.ProjectRole) is not null)
        {
            errors["companyId"] = ["Roles and projects belong to a company: name it."];
        }
        if (input.ProjectId is not null && input.ProjectRole is null)
        {
            errors["projectRole"] = ["Name a project role of the catalogue (GET /api/admin/roles)."];
        }
        if (errors.Count > 0)
        {
            return AdminError.Fields(errors);
        }
        if (input.CompanyId is null && !caller.IsPlatformAdmin)
        {
            return AdminError.Field("companyId", "Name one of the companies you administer.");
        }
        var roles = PendingRoles.None;
        if (input.CompanyId is { } companyId)
        {
            if (!caller.Administers(companyId) || !await db.Set<Company>().AnyAsync(c => c.Id == companyId, cancellationToken))
            {
                return AdminError.NotFound("company");
            }
            if (input.ProjectId is { } projectId
                && !await db.Set<Project>().AnyAsync(p => p.Id == projectId && p.CompanyId == companyId, cancellationToken))
            {
                // Another company's project is answered as a missing one.
                return AdminError.NotFound("project");
            }
            if (!await RoleExistsAsync(RoleScope.Company, input.Role, cancellationToken))
            {
                return AdminError.Field("role", "Name a company role of the catalogue (GET /api/admin/roles).");
            }
            if (input.ProjectId is not null && !await RoleExistsAsync(RoleScope.Project, input.ProjectRole, cancellationToken))
            {
                return AdminError.Field("projectRole", "Name a project role of the catalogue (GET /api/admin/roles).");
            }
            if (input.Role == RoleCatalogue.CompanyOwner && !await IsOwnerAsync(caller, companyId, cancellationToken))
            {
                return new AdminError(StatusCodes.Status403Forbidden, "Only an owner of the company or a platform admin invites an owner.");
            }
            roles = new PendingRoles(companyId, input.Role, input.ProjectId, input.ProjectRole);
        }
        var normalized = EmailAddress.Normalize(address!);
        if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return AdminError.Conflict("An account with this email already exists (addresses are compared ignoring case, after Unicode NFKC "
                + "normalisation). Add the person through the company's members, or resend their pending invitation.");
        }
        var now = time.GetUtcNow();
        // Nobody knows this password: the account is not usable until the invitation sets one.
        var user = new User
        {
            Email = address!,
            NormalizedEmail = normalized,
            DisplayName = name!,
            PasswordHash = hasher.Hash(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32))),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created the same address meanwhile (the unique index decides).
            return AdminError.Conflict("An account with this email already exists.");
        }
        var (invitation, token) = await invitations.InviteAsync(user.Id, roles, caller.Actor, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminInvitationCreated, "invitation:" + invitation.Id,
            new { user_id = user.Id, role = roles.CompanyRole, project_id = roles.ProjectId, project_role = roles.ProjectRole },
            roles.CompanyId, cancellationToken);
        var sent = await MailAsync(user, invitation, token, linkBase, cancellationToken);
        return View(invitation, user, now) with { EmailSent = sent };
    }

    public async Task<Page<InvitationView>> ListAsync(AdminCaller caller, Guid? companyId, AdminPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(page);
        var all = caller.IsPlatformAdmin;
        var administered = caller.AdministeredCompanies.ToList();
        var after = page.After;
        var rows = await db.Set<Invitation>().AsNoTracking()
            .Where(i => all || (i.CompanyId != null && administered.Contains(i.CompanyId.Value)))
            .Where(i => companyId == null || i.CompanyId == companyId)
            .Where(i => after == null || i.Id.ToString().CompareTo(after) > 0)
            .OrderBy(i => i.Id.ToString()).Take(page.Limit + 1)
            .Join(db.Set<User>().AsNoTracking(), i => i.UserId, u => u.Id, (i, u) => new { Invitation = i, User = u })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return Pages.Of([.. rows.Select(r => View(r.Invitation, r.User, now))], page.Limit, v => v.Id.ToString());
    }

    /// <summary>One invitation as <see cref="ListAsync"/> shows it; another company's is answered as a missing one.</summary>
    public async Task<AdminResult<InvitationView>> GetAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken) =>
        await FindAsync(caller, id, cancellationToken) is { } found ? View(found.Invitation, found.User, time.GetUtcNow()) : AdminError.NotFound("invitation");

    public async Task<AdminResult<InvitationView>> ResendAsync(AdminCaller caller, Guid id, Uri linkBase, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } found)
        {
            return AdminError.NotFound("invitation");
        }
        var (invitation, user) = found;
        if (invitation.AcceptedAt is not null || invitation.RevokedAt is not null)
        {
            return AdminError.Conflict("This invitation was already accepted or revoked: there is no link to send again.");
        }
        var token = await invitations.RenewAsync(invitation, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminInvitationResent, "invitation:" + id, new { user_id = user.Id, expires_at = invitation.ExpiresAt },
            invitation.CompanyId, cancellationToken);
        var sent = await MailAsync(user, invitation, token, linkBase, cancellationToken);
        return View(invitation, user, time.GetUtcNow()) with { EmailSent = sent };
    }

    /// <summary>The link stops working at once; the account it made stays (without a known password) for an admin to erase.</summary>
    public async Task<AdminError?> RevokeAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } found)
        {
            return AdminError.NotFound("invitation");
        }
        var invitation = found.Invitation;
        if (invitation.AcceptedAt is not null)
        {
            return AdminError.Conflict("This invitation was already accepted: remove the membership instead.");
        }
        invitation.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminInvitationRevoked, "invitation:" + id, new { user_id = invitation.UserId },
            invitation.CompanyId, cancellationToken);
        return null;
    }

    private async Task<(Invitation Invitation, User User)?> FindAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var invitation = await db.Set<Invitation>().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation is null || !(caller.IsPlatformAdmin || invitation.CompanyId is { } companyId && caller.Administers(companyId)))
        {
            return null;
        }
        var user = await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == invitation.UserId, cancellationToken);
        return (invitation, user);
    }

    /// <summary>A mail that cannot be sent does not undo the invitation: the answer says so and the admin resends.</summary>
    private async Task<bool> MailAsync(User user, Invitation invitation, string token, Uri linkBase, CancellationToken cancellationToken)
    {
        var company = invitation.CompanyId is { } companyId
            ? await db.Set<Company>().Where(c => c.Id == companyId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        var mail = templates.Invitation(user.DisplayName, company, Invitations.Link(linkBase, token), Invitation.Lifetime);
        try
        {
            await email.SendAsync(new EmailMessage(user.Email, user.DisplayName, mail.Subject, mail.Text, mail.Html), cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSendFailed(logger, invitation.Id, exception.GetType().Name);
            return false;
        }
    }

    private async Task<bool> RoleExistsAsync(RoleScope scope, string? name, CancellationToken cancellationToken) =>
        name is not null && await db.Set<Role>().AnyAsync(r => r.Scope == scope && r.Name == name, cancellationToken);

    private async Task<bool> IsOwnerAsync(AdminCaller caller, Guid companyId, CancellationToken cancellationToken) =>
        caller.IsPlatformAdmin || await (from m in db.Set<CompanyMembership>()
                                         join r in db.Set<Role>() on m.RoleId equals r.Id
                                         where m.CompanyId == companyId && m.UserId == caller.UserId && r.Scope == RoleScope.Company
                                               && r.Name == RoleCatalogue.CompanyOwner
                                         select m).AnyAsync(cancellationToken);

    private static InvitationView View(Invitation i, User u, DateTimeOffset now) => new(i.Id, i.UserId, u.Email, u.DisplayName, i.CompanyId,
        i.CompanyRole, i.ProjectId, i.ProjectRole, StatusOf(i, now), i.InvitedBy, i.CreatedAt, i.ExpiresAt, i.AcceptedAt, i.CompletedAt, i.RevokedAt);

    private static string StatusOf(Invitation invitation, DateTimeOffset now) =>
        invitation.CompletedAt is not null ? "completed" : Invitations.StateOf(invitation, now) switch
        {
            InvitationState.Used => "accepted",
            InvitationState.Revoked => "revoked",
            InvitationState.Expired => "expired",
            _ => "pending",
        };

    // The exception type only: an SMTP error may quote the conversation, and the link is a secret.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Invitation mail for invitation {InvitationId} could not be sent ({ExceptionType})")]
    private static partial void LogSendFailed(ILogger logger, Guid invitationId, string exceptionType);
}
