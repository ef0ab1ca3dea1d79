using Ruum.Identity.Features.Notifications.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Recovery;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Email;

namespace Ruum.Identity.Features.Account;

public enum EmailChangeRequest
{
    Sent,
    SameAsCurrent,
    Taken,
    NotSent,
}

public enum EmailChangeState
{
    Valid,
    Unknown,
    Used,
    Expired,
    Superseded,
    Cancelled,
}

public enum EmailChangeConfirmation
{
    Changed,
    LinkNotValid,
    OtherAccount,
    Taken,
}

/// <summary>
/// Changing the account's address: the new address proves it is reachable by a single-use link (24 hours, a 256-bit
/// token kept as a keyed hash, like the reset links), the old address is told and can cancel, and the address changes
/// only when the link is confirmed from the same account's session. Addresses stay unique after NFKC and case folding.
/// </summary>
public sealed partial class EmailChanges(
    RuumDbContext db,
    KeyedHasher hasher,
    IEmailSender email,
    MailTemplates templates,
    IOptions<EmailChangeOptions> options,
    TimeProvider time,
    AuditLog audit,
    ILogger<EmailChanges> logger)
{
    public const string ConfirmPath = "/account/email/confirm";
    public const string CancelPath = "/account/email/cancel";
    private const string TokenPurpose = "email-change-link";
    private const string CancelPurpose = "email-change-cancel";

    /// <summary>Mails the confirmation link to the new address and the notice to the old one; earlier pending requests die.</summary>
    public async Task<EmailChangeRequest> RequestAsync(HttpContext context, Guid userId, string newEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = newEmail.Trim();
        var normalized = EmailAddress.Normalize(address);
        var user = await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        if (normalized == user.NormalizedEmail)
        {
            return EmailChangeRequest.SameAsCurrent;
        }
        if (await IsTakenAsync(userId, normalized, cancellationToken))
        {
            await audit.RecordAsync(AuditEventTypes.EmailChangeRequested, AuditOutcomes.Failure, userId, new { reason = "taken" },
                cancellationToken: cancellationToken);
            return EmailChangeRequest.Taken;
        }
        var now = time.GetUtcNow();
        await db.Set<EmailChange>().Where(c => c.UserId == userId && c.ConfirmedAt == null && c.CancelledAt == null && c.SupersededAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.SupersededAt, now), cancellationToken);
        var token = LinkTokens.New();
        var cancelToken = LinkTokens.New();
        var lifetime = options.Value.LinkLifetime;
        var change = new EmailChange
        {
            UserId = userId, NewEmail = address, NormalizedNewEmail = normalized,
            TokenHash = hasher.Hash(TokenPurpose, token), CancelTokenHash = hasher.Hash(CancelPurpose, cancelToken),
            CreatedAt = now, ExpiresAt = now + lifetime,
        };
        db.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        var request = context.Request;
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var confirm = templates.ConfirmNewAddress(user.DisplayName, $"{origin}{ConfirmPath}?token={token}", lifetime);
        var notice = templates.AddressChangeNotice(user.DisplayName, address, $"{origin}{CancelPath}?token={cancelToken}");
        try
        {
            await email.SendAsync(new EmailMessage(address, user.DisplayName, confirm.Subject, confirm.Text, confirm.Html), cancellationToken);
            await email.SendAsync(new EmailMessage(user.Email, user.DisplayName, notice.Subject, notice.Text, notice.Html), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Without both mails the change cannot be confirmed or reported: it does not stay pending.
            LogSendFailed(logger, userId, exception.GetType().Name);
            await db.Set<EmailChange>().Where(c => c.Id == change.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.SupersededAt, now), cancellationToken);
            await audit.RecordAsync(AuditEventTypes.EmailChangeRequested, AuditOutcomes.Failure, userId, new { reason = "delivery_failed" },
                cancellationToken: cancellationToken);
            return EmailChangeRequest.NotSent;
        }
        await audit.RecordAsync(AuditEventTypes.EmailChangeRequested, AuditOutcomes.Success, userId, cancellationToken: cancellationToken);
        return EmailChangeRequest.Sent;
    }

    /// <summary>The change the confirmation link names, and whether it may still be confirmed.</summary>
    public async Task<(EmailChangeState State, EmailChange? Change)> FindAsync(string? token, CancellationToken cancellationToken) =>
        await FindByAsync(cancel: false, token, cancellationToken);

    /// <summary>The change the old address's "this was not me" link names.</summary>
    public async Task<(EmailChangeState State, EmailChange? Change)> FindByCancelTokenAsync(string? token, CancellationToken cancellationToken) =>
        await FindByAsync(cancel: true, token, cancellationToken);

    /// <summary>
    /// Confirms from the signed-in session of <paramref name="sessionUserId"/>: a link opened in another account's
    /// session changes nothing, so a link forwarded to (or phished by) someone else cannot move their address.
    /// </summary>
    public async Task<EmailChangeConfirmation> ConfirmAsync(Guid sessionUserId, string? token, CancellationToken cancellationToken)
    {
        var (state, change) = await FindAsync(token, cancellationToken);
        if (state != EmailChangeState.Valid)
        {
            return EmailChangeConfirmation.LinkNotValid;
        }
        if (change!.UserId != sessionUserId)
        {
            await audit.RecordAsync(AuditEventTypes.EmailChanged, AuditOutcomes.Failure, change.UserId, new { reason = "other_account" },
                cancellationToken: cancellationToken);
            return EmailChangeConfirmation.OtherAccount;
        }
        if (await IsTakenAsync(change.UserId, change.NormalizedNewEmail, cancellationToken))
        {
            await audit.RecordAsync(AuditEventTypes.EmailChanged, AuditOutcomes.Failure, change.UserId, new { reason = "taken" },
                cancellationToken: cancellationToken);
            return EmailChangeConfirmation.Taken;
        }
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Conditional: of two racing confirmations (or a confirmation and a cancel) only one wins.
            var spent = await db.Set<EmailChange>()
                .Where(c => c.Id == change.Id && c.ConfirmedAt == null && c.CancelledAt == null && c.SupersededAt == null && c.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConfirmedAt, now), cancellationToken);
            if (spent == 0)
            {
                return EmailChangeConfirmation.LinkNotValid;
            }
            var user = await db.Set<User>().SingleAsync(u => u.Id == change.UserId, cancellationToken);
            user.Email = change.NewEmail;
            user.NormalizedEmail = change.NormalizedNewEmail;
            user.EmailVerified = true;
            user.UpdatedAt = now;
            try
            {
                // The unique index on the normalised address decides a race with another account taking it.
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                return EmailChangeConfirmation.Taken;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await audit.RecordAsync(AuditEventTypes.EmailChanged, AuditOutcomes.Success, change.UserId, cancellationToken: cancellationToken);
        return EmailChangeConfirmation.Changed;
    }

    /// <summary>The old address says "this was not me": the pending change dies. False when it is no longer pending.</summary>
    public async Task<bool> CancelAsync(string? cancelToken, CancellationToken cancellationToken)
    {
        var (state, change) = await FindByCancelTokenAsync(cancelToken, cancellationToken);
        if (state != EmailChangeState.Valid)
        {
            return false;
        }
        var now = time.GetUtcNow();
        var cancelled = await db.Set<EmailChange>()
            .Where(c => c.Id == change!.Id && c.ConfirmedAt == null && c.CancelledAt == null && c.SupersededAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CancelledAt, now), cancellationToken);
        if (cancelled == 0)
        {
            return false;
        }
        await audit.RecordAsync(AuditEventTypes.EmailChangeReported, AuditOutcomes.Success, change!.UserId, cancellationToken: cancellationToken);
        return true;
    }

    private async Task<bool> IsTakenAsync(Guid userId, string normalized, CancellationToken cancellationToken) =>
        await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized && u.Id != userId, cancellationToken);

    private async Task<(EmailChangeState, EmailChange?)> FindByAsync(bool cancel, string? token, CancellationToken cancellationToken)
    {
        if (!LinkTokens.IsWellFormed(token))
        {
            return (EmailChangeState.Unknown, null);
        }
        // Every key's form: a link mailed before a new hashing key was added still works.
        var hashes = hasher.Candidates(cancel ? CancelPurpose : TokenPurpose, token);
        var changes = db.Set<EmailChange>().AsNoTracking();
        var change = await (cancel ? changes.Where(c => hashes.Contains(c.CancelTokenHash)) : changes.Where(c => hashes.Contains(c.TokenHash)))
            .SingleOrDefaultAsync(cancellationToken);
        if (change is null)
        {
            return (EmailChangeState.Unknown, null);
        }
        var state = change.ConfirmedAt is not null ? EmailChangeState.Used
            : change.CancelledAt is not null ? EmailChangeState.Cancelled
            : change.SupersededAt is not null ? EmailChangeState.Superseded
            : time.GetUtcNow() >= change.ExpiresAt ? EmailChangeState.Expired
            : EmailChangeState.Valid;
        return (state, change);
    }

    // The exception type only: an SMTP error may quote the conversation.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Email-change mails for user {UserId} could not be sent ({ExceptionType})")]
    private static partial void LogSendFailed(ILogger logger, Guid userId, string exceptionType);
}
