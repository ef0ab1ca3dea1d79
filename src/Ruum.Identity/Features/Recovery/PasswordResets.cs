using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Email;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Features.Recovery;

public enum ResetLinkState
{
    Valid,
    Unknown,
    Used,
    Expired,
    Superseded,
}

public enum ResetCodeSend
{
    Sent,
    TooSoon,
    TooMany,
    NotSent,
}

/// <summary>
/// Forgotten-password links: a 256-bit token mailed once and stored as a keyed hash, single use, short-lived, at most
/// a few per account per hour, the newest replacing the others (ASVS 5.0 V6.4.1, V6.4.3). A link alone changes
/// nothing: the reset page also asks for the account's second factor.
/// </summary>
public sealed partial class PasswordResets(
    RuumDbContext db,
    KeyedHasher hasher,
    IEmailSender email,
    MailTemplates templates,
    IOptions<PasswordResetOptions> options,
    IOptions<OtpOptions> otp,
    TimeProvider time,
    AuditLog audit,
    ILogger<PasswordResets> logger)
{
    public const string PagePath = "/account/reset-password";
    private const string TokenPurpose = "password-reset-link";
    private const string CodePurpose = "password-reset-code";

    /// <summary>
    /// Mails a link when the address names an enabled account under its hourly limit. Every address runs the same
    /// statements but the new link's insert (a refused one supersedes links of an id no user has), and the mail leaves
    /// after the response is sent, so neither the answer nor its timing tells whether an account exists.
    /// </summary>
    public async Task RequestAsync(HttpContext context, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var normalized = EmailAddress.Normalize(address);
        var user = await db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var token = LinkTokens.New();
        var tokenHash = hasher.Hash(TokenPurpose, token);
        var nobody = new Guid(Convert.FromHexString(hasher.Pseudonym("reset-unknown-email", normalized))[..16]);
        var now = time.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var recent = await db.Set<PasswordResetLink>().CountAsync(l => l.UserId == (user == null ? nobody : user.Id) && l.CreatedAt > hourAgo,
            cancellationToken);
        var refusal = user is null ? "unknown_email" : !user.IsEnabled ? "disabled" : recent >= options.Value.MaxLinksPerHour ? "too_many" : null;
        // A new link kills the previous ones.
        var accountId = refusal is null ? user!.Id : nobody;
        await db.Set<PasswordResetLink>().Where(l => l.UserId == accountId && l.UsedAt == null && l.SupersededAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.SupersededAt, now), cancellationToken);
        if (refusal is not null)
        {
            // Who was tried without storing an address that may belong to nobody.
            await audit.RecordAsync(AuditEventTypes.PasswordResetRequested, AuditOutcomes.Failure, user?.Id,
                new { reason = refusal, email_hash = user is null ? hasher.Pseudonym("audit-email", normalized) : null }, cancellationToken: cancellationToken);
            return;
        }
        var lifetime = options.Value.LinkLifetime;
        db.Add(new PasswordResetLink { UserId = accountId, TokenHash = tokenHash, CreatedAt = now, ExpiresAt = now + lifetime });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditEventTypes.PasswordResetRequested, AuditOutcomes.Success, accountId, cancellationToken: cancellationToken);
        var request = context.Request;
        var link = $"{request.Scheme}://{request.Host}{request.PathBase}{PagePath}?token={token}";
        var mail = templates.ResetLink(user!.DisplayName, link, lifetime);
        var message = new EmailMessage(user.Email, user.DisplayName, mail.Subject, mail.Text, mail.Html);
        context.Response.OnCompleted(() => SendAfterResponseAsync(message, accountId));
    }

    /// <summary>The link of <paramref name="token"/> with its account, and whether it may still be used.</summary>
    public async Task<(ResetLinkState State, PasswordResetLink? Link, User? User)> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (!LinkTokens.IsWellFormed(token))
        {
            return (ResetLinkState.Unknown, null, null);
        }
        var hashes = hasher.Candidates(TokenPurpose, token);
        var found = await db.Set<PasswordResetLink>().AsNoTracking().Where(l => hashes.Contains(l.TokenHash))
            .Join(db.Set<User>().AsNoTracking(), l => l.UserId, u => u.Id, (l, u) => new { Link = l, User = u })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !found.User.IsEnabled)
        {
            return (ResetLinkState.Unknown, null, null);
        }
        var state = found.Link.UsedAt is not null ? ResetLinkState.Used
            : found.Link.SupersededAt is not null ? ResetLinkState.Superseded
            : time.GetUtcNow() >= found.Link.ExpiresAt ? ResetLinkState.Expired
            : ResetLinkState.Valid;
        return (state, found.Link, found.User);
    }

    /// <summary>Mails a second-factor code for this link, replacing an earlier one (users without an authenticator app).</summary>
    public async Task<(ResetCodeSend Result, TimeSpan RetryAfter)> SendCodeAsync(PasswordResetLink link, User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var interval = otp.Value.ResendInterval;
        if (link.CodeSentAt is { } sent && now - sent < interval)
        {
            return (ResetCodeSend.TooSoon, interval - (now - sent));
        }
        var max = options.Value.MaxCodesPerLink;
        if (link.CodesSent >= max)
        {
            return (ResetCodeSend.TooMany, link.ExpiresAt - now);
        }
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var codeHash = hasher.Hash(CodePurpose, link.Id + ":" + code);
        // Conditional: two racing requests cannot both pass the per-link cap.
        var claimed = await db.Set<PasswordResetLink>().Where(l => l.Id == link.Id && l.CodesSent < max)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.CodeHash, codeHash).SetProperty(l => l.CodeSentAt, now)
                .SetProperty(l => l.CodesSent, l => l.CodesSent + 1).SetProperty(l => l.CodeFailedAttempts, 0), cancellationToken);
        if (claimed == 0)
        {
            return (ResetCodeSend.TooMany, link.ExpiresAt - now);
        }
        var lifetime = otp.Value.EmailCodeLifetime;
        var mail = templates.ResetCode(user.DisplayName, code, lifetime);
        try
        {
            await email.SendAsync(new EmailMessage(user.Email, user.DisplayName, mail.Subject, mail.Text, mail.Html), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSendFailed(logger, "code", user.Id, exception.GetType().Name);
            await db.Set<PasswordResetLink>().Where(l => l.Id == link.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.CodeHash, (string?)null).SetProperty(l => l.CodeSentAt, (DateTimeOffset?)null), cancellationToken);
            await audit.RecordAsync(AuditEventTypes.CodeSent, AuditOutcomes.Failure, user.Id,
                new { method = "email", purpose = "password_reset", reason = "delivery_failed" }, cancellationToken: cancellationToken);
            return (ResetCodeSend.NotSent, TimeSpan.Zero);
        }
        await audit.RecordAsync(AuditEventTypes.CodeSent, AuditOutcomes.Success, user.Id, new { method = "email", purpose = "password_reset" },
            cancellationToken: cancellationToken);
        return (ResetCodeSend.Sent, TimeSpan.Zero);
    }

    /// <summary>The emailed code of this link: each survives a few wrong tries and expires like a sign-in code.</summary>
    public async Task<EmailCodeCheck> VerifyCodeAsync(PasswordResetLink link, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var settings = otp.Value;
        var current = await db.Set<PasswordResetLink>().AsNoTracking().SingleAsync(l => l.Id == link.Id, cancellationToken);
        if (current.CodeHash is null || current.CodeSentAt is not { } sent)
        {
            return EmailCodeCheck.NoCode;
        }
        if (current.CodeFailedAttempts >= settings.MaxAttemptsPerCode)
        {
            return EmailCodeCheck.TooManyAttempts;
        }
        if (time.GetUtcNow() >= sent + settings.EmailCodeLifetime)
        {
            return EmailCodeCheck.Expired;
        }
        if (hasher.Matches(CodePurpose, link.Id + ":" + code, current.CodeHash))
        {
            return EmailCodeCheck.Verified;
        }
        await db.Set<PasswordResetLink>().Where(l => l.Id == link.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.CodeFailedAttempts, l => l.CodeFailedAttempts + 1), cancellationToken);
        return EmailCodeCheck.Wrong;
    }

    /// <summary>Spends the link; of two racing requests only one wins.</summary>
    public async Task<bool> SpendAsync(PasswordResetLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var now = time.GetUtcNow();
        return await db.Set<PasswordResetLink>()
            .Where(l => l.Id == link.Id && l.UsedAt == null && l.SupersededAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), cancellationToken) > 0;
    }

    /// <summary>A reset proves the password holder is back: the password lock and its delay end (the second-factor count was reset by the right code).</summary>
    public async Task<bool> UnlockPasswordAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Set<AccountLockout>().Where(l => l.UserId == userId && (l.FailedPasswords > 0 || l.PasswordLockedUntil != null))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedPasswords, 0).SetProperty(l => l.PasswordLockedUntil, (DateTimeOffset?)null)
                .SetProperty(l => l.LastPasswordFailureAt, (DateTimeOffset?)null), cancellationToken) > 0;

    private async Task SendAfterResponseAsync(EmailMessage message, Guid userId)
    {
        try
        {
            await email.SendAsync(message, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogSendFailed(logger, "link", userId, exception.GetType().Name);
            await audit.RecordAsync(AuditEventTypes.PasswordResetRequested, AuditOutcomes.Failure, userId, new { reason = "delivery_failed" });
        }
    }

    // The exception type only: an SMTP error may quote the conversation, which holds the link or the code.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Password reset {What} mail for user {UserId} could not be sent ({ExceptionType})")]
    private static partial void LogSendFailed(ILogger logger, string what, Guid userId, string exceptionType);
}
