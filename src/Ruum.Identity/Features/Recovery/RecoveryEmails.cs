using System.Text.Encodings.Web;

namespace Ruum.Identity.Features.Recovery;

public sealed record RenderedEmail(string Subject, string Text, string Html);

/// <summary>
/// The account-recovery mails, text and HTML saying the same; every value is encoded in the HTML (a display name is
/// user input). Neither a link nor a code ever appears in a subject line, which mail lists and lock screens show.
/// </summary>
public static class RecoveryEmails
{
    public const string ResetLinkSubject = "Reset your Ruum password";
    public const string ResetCodeSubject = "Your code to reset your Ruum password";

    public static RenderedEmail ResetLink(string displayName, string link, TimeSpan lifetime)
    {
        var minutes = (int)lifetime.TotalMinutes;
        const string ignore = "If you did not ask for this, ignore this mail: your password stays as it is.";
        var text = $"""
            Hello {displayName},

            To choose a new Ruum password, open this link within {minutes} minutes. It works once, and you will also be
            asked for your second factor (a code from your authenticator app, a recovery code, or a code we email you).

            {link}

            {ignore}
            """;
        var html = HtmlEncoder.Default;
        var body = $"""
            <p>Hello {html.Encode(displayName)},</p>
            <p>To choose a new Ruum password, open this link within {minutes} minutes. It works once, and you will also be
            asked for your second factor (a code from your authenticator app, a recovery code, or a code we email you).</p>
            <p><a href="{html.Encode(link)}">Choose a new password</a></p>
            <p>{html.Encode(ignore)}</p>
            """;
        return new(ResetLinkSubject, text, body);
    }

    public static RenderedEmail ResetCode(string displayName, string code, TimeSpan lifetime)
    {
        var minutes = (int)lifetime.TotalMinutes;
        const string warning = "If you did not just ask to reset your password, someone can read this mailbox or has your link: "
            + "do not share this code, and set up an authenticator app once you are signed in.";
        var text = $"""
            Hello {displayName},

            Your code to reset your Ruum password is {code}. It expires in {minutes} minutes.

            {warning}
            """;
        var html = HtmlEncoder.Default;
        var body = $"""
            <p>Hello {html.Encode(displayName)},</p>
            <p>Your code to reset your Ruum password is <strong>{html.Encode(code)}</strong>. It expires in {minutes} minutes.</p>
            <p>{html.Encode(warning)}</p>
            """;
        return new(ResetCodeSubject, text, body);
    }
}
