using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Infrastructure.Email;

/// <summary>Production: MailKit over SMTP with STARTTLS or implicit TLS (plain text only for a local mail catcher).</summary>
internal sealed class SmtpEmailSender(MimeMessages messages, IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new SmtpClient();
        var security = settings.SmtpTls switch
        {
            SmtpTls.Implicit => SecureSocketOptions.SslOnConnect,
            SmtpTls.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(settings.SmtpHost ?? throw new InvalidOperationException("Ruum:Email:SmtpHost is not set."), settings.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUserName))
        {
            await client.AuthenticateAsync(settings.SmtpUserName, settings.SmtpPassword ?? "", cancellationToken);
        }
        await client.SendAsync(messages.Create(message), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
