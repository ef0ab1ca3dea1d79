using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Email;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Features.Otp;

public enum EmailCodeCheck
{
    Verified,
    Wrong,
    TooManyAttempts,
    Expired,
    NoCode,
}

public enum ResendCheck
{
    Allowed,
    TooSoon,
    TooMany,
}

/// <summary>
/// Six random digits per pending sign-in, mailed, stored as HMAC-SHA256(pending id, code). Only the newest
/// code of a pending sign-in counts; each survives a few wrong tries. The code itself is never logged.
/// </summary>
public sealed partial class EmailCodes(RuumDbContext db, KeyedHasher hasher, IEmailSender email, IOptions<OtpOptions> options,
    TimeProvider time, AuditLog audit, MailTemplates templates, ILogger<EmailCodes> logger)
{
    private const string Purpose = "email-code";

    /// <returns>False when the mail could not be handed over; the code is then forgotten, so a resend is allowed at once.</returns>
    public async Task<bool> SendAsync(PendingSignIn pending, User user, bool isResend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(user);
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var now = time.GetUtcNow();
        var lifetime = options.Value.EmailCodeLifetime;
        var row = new EmailCode
        {
            PendingSignInId = pending.Id,
            UserId = user.Id,
            CodeHash = hasher.Hash(Purpose, pending.Id + ":" + code),
            IsResend = isResend,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var mail = templates.SignInCode(user.DisplayName, code, lifetime);
            await email.SendAsync(new EmailMessage(user.Email, user.DisplayName, mail.Subject, mail.Text, mail.Html), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The mail server is down or refused us: say so on the page rather than fail the request.
            LogSendFailed(logger, user.Id, exception.GetType().Name);
            await db.Set<EmailCode>().Where(c => c.Id == row.Id).ExecuteDeleteAsync(cancellationToken);
            await audit.RecordAsync(AuditEventTypes.CodeSent, AuditOutcomes.Failure, user.Id,
                new { method = "email", resend = isResend, reason = "delivery_failed" }, pending.ClientId, cancellationToken);
            return false;
        }
        await audit.RecordAsync(AuditEventTypes.CodeSent, AuditOutcomes.Success, user.Id, new { method = "email", resend = isResend },
            pending.ClientId, cancellationToken);
        return true;
    }

    public async Task<bool> HasCodeAsync(PendingSignIn pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return await db.Set<EmailCode>().AnyAsync(c => c.PendingSignInId == pending.Id || c.PendingSignInId == pending.SharesCodeOf, cancellationToken);
    }

    /// <summary>Whether this pending sign-in waits on a code mailed for an earlier one (and none of its own yet).</summary>
    public async Task<bool> UsesEarlierCodeAsync(PendingSignIn pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return pending.SharesCodeOf is not null && !await db.Set<EmailCode>().AnyAsync(c => c.PendingSignInId == pending.Id, cancellationToken);
    }

    /// <summary>The pending sign-in of the user's newest code when that code still works (unused, unexpired, tries left), or null.</summary>
    public async Task<PendingSignIn?> FindLiveCodeOwnerAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var latest = await db.Set<EmailCode>().AsNoTracking().Where(c => c.UserId == user.Id)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        if (latest is null || latest.UsedAt is not null || latest.FailedAttempts >= options.Value.MaxAttemptsPerCode || now >= latest.ExpiresAt)
        {
            return null;
        }
        return await db.Set<PendingSignIn>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == latest.PendingSignInId && p.CompletedAt == null
            && p.ExpiresAt > now && p.SecurityStamp == user.SecurityStamp, cancellationToken);
    }

    // The exception type only: its message may quote the SMTP conversation, which holds the code.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code mail for user {UserId} could not be sent ({ExceptionType})")]
    private static partial void LogSendFailed(ILogger logger, Guid userId, string exceptionType);

    /// <summary>Resends are at least <see cref="OtpOptions.ResendInterval"/> apart and at most <see cref="OtpOptions.MaxResendsPerHour"/> an hour per user.</summary>
    public async Task<(ResendCheck Check, TimeSpan RetryAfter)> CanResendAsync(Guid userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var recent = await db.Set<EmailCode>().AsNoTracking().Where(c => c.UserId == userId && c.CreatedAt > hourAgo)
            .Select(c => new { c.CreatedAt, c.IsResend }).ToListAsync(cancellationToken);
        var last = recent.Count == 0 ? (DateTimeOffset?)null : recent.Max(c => c.CreatedAt);
        if (last is { } sent && now - sent < settings.ResendInterval)
        {
            return (ResendCheck.TooSoon, settings.ResendInterval - (now - sent));
        }
        var resends = recent.Where(c => c.IsResend).OrderBy(c => c.CreatedAt).ToList();
        if (resends.Count >= settings.MaxResendsPerHour)
        {
            return (ResendCheck.TooMany, resends[^settings.MaxResendsPerHour].CreatedAt.AddHours(1) - now);
        }
        return (ResendCheck.Allowed, TimeSpan.Zero);
    }

    public async Task<(EmailCodeCheck Check, int TriesLeft)> VerifyAsync(PendingSignIn pending, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var settings = options.Value;
        var latest = await db.Set<EmailCode>().AsNoTracking().Where(c => c.PendingSignInId == pending.Id || c.PendingSignInId == pending.SharesCodeOf)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        if (latest is null || latest.UsedAt is not null)
        {
            return (EmailCodeCheck.NoCode, 0);
        }
        if (latest.FailedAttempts >= settings.MaxAttemptsPerCode)
        {
            return (EmailCodeCheck.TooManyAttempts, 0);
        }
        var now = time.GetUtcNow();
        if (now >= latest.ExpiresAt)
        {
            return (EmailCodeCheck.Expired, 0);
        }
        var codes = db.Set<EmailCode>().Where(c => c.Id == latest.Id && c.UsedAt == null && c.FailedAttempts < settings.MaxAttemptsPerCode);
        // The code is bound to the pending sign-in it was mailed for (this one, or the one it shares a code with).
        if (hasher.Matches(Purpose, latest.PendingSignInId + ":" + code, latest.CodeHash))
        {
            // Single use even when two requests race with the right code.
            var used = await codes.ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
            return used > 0 ? (EmailCodeCheck.Verified, 0) : (EmailCodeCheck.NoCode, 0);
        }
        await codes.ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1), cancellationToken);
        return (EmailCodeCheck.Wrong, Math.Max(0, settings.MaxAttemptsPerCode - latest.FailedAttempts - 1));
    }
}
