using Microsoft.Extensions.Options;
using MimeKit;

namespace Ruum.Identity.Infrastructure.Email;

internal sealed class MimeMessages(IOptions<EmailOptions> options, TimeProvider time)
{
    public MimeMessage Create(EmailMessage message)
    {
        var settings = options.Value;
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Date = time.GetUtcNow(),
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        mime.To.Add(new MailboxAddress(message.ToName, message.ToAddress));
        return mime;
    }
}
