namespace Ruum.Identity.Infrastructure.Email;

/// <param name="HtmlBody">An HTML alternative saying the same as the text.</param>
public sealed record EmailMessage(string ToAddress, string ToName, string Subject, string TextBody, string? HtmlBody = null);

/// <summary>The seam between "send this mail" and how it leaves: SMTP in Production, a folder in Development.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
