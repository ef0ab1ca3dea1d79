using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Email;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Features.Notifications;

/// <summary>
/// Mails the account's address after every credential change (ASVS 5.0 V6.3.7), with the time, the device the
/// request came from and a link to the activity page. A mail that cannot be sent never undoes the change: it is
/// logged and audited as not sent.
/// </summary>
public sealed partial class CredentialNotifications(RuumDbContext db, IEmailSender email, IHttpContextAccessor http, AuditLog audit,
    TimeProvider time, MailTemplates templates, ILogger<CredentialNotifications> logger)
{
    public const string ActivityPath = "/account/activity";

    public async Task SendAsync(Guid userId, CredentialNotice notice, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Email, u.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return;
        }
        var request = http.HttpContext?.Request;
        var device = DeviceFingerprint.From(request?.Headers.UserAgent).Label;
        // The host was checked against AllowedHosts (Production requires it), so the link names this server.
        var activity = request is null ? ActivityPath : $"{request.Scheme}://{request.Host}{request.PathBase}{ActivityPath}";
        var rendered = templates.Notice(notice, new(user.DisplayName, templates.FormatTime(time.GetUtcNow()), device, activity));
        var kind = KindOf(notice);
        try
        {
            await email.SendAsync(new EmailMessage(user.Email, user.DisplayName, rendered.Subject, rendered.Text, rendered.Html), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSendFailed(logger, kind, userId, exception.GetType().Name);
            await audit.RecordAsync(AuditEventTypes.CredentialChangeEmailSent, AuditOutcomes.Failure, userId,
                new { notice = kind, device, reason = "delivery_failed" }, cancellationToken: cancellationToken);
            return;
        }
        await audit.RecordAsync(AuditEventTypes.CredentialChangeEmailSent, AuditOutcomes.Success, userId, new { notice = kind, device },
            cancellationToken: cancellationToken);
    }

    /// <summary>Stable snake_case names for the audit log.</summary>
    public static string KindOf(CredentialNotice notice) => notice switch
    {
        CredentialNotice.PasswordChanged => "password_changed",
        CredentialNotice.AuthenticatorAdded => "authenticator_added",
        CredentialNotice.AuthenticatorRemoved => "authenticator_removed",
        CredentialNotice.RecoveryCodesRenewed => "recovery_codes_renewed",
        CredentialNotice.DeviceTrusted => "device_trusted",
        CredentialNotice.AccountLocked => "account_locked",
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice, null),
    };

    // The exception type only: an SMTP error may quote the conversation.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential-change mail {Notice} for user {UserId} could not be sent ({ExceptionType})")]
    private static partial void LogSendFailed(ILogger logger, string notice, Guid userId, string exceptionType);
}
