using System.Text.Encodings.Web;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// The invitation mail, text and HTML saying the same; every value is encoded in the HTML (names are admin input).
/// The link never appears in the subject line, which mail lists and lock screens show.
/// </summary>
public static class InvitationEmails
{
    public const string Subject = "You are invited to Ruum";

    public static RenderedEmail Invite(string displayName, string? companyName, string link, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var days = (int)lifetime.TotalDays;
        var to = companyName is null ? "Ruum" : $"{companyName} on Ruum";
        const string steps = "You will choose your password and set up a second factor, then you are signed in.";
        const string ignore = "If you do not expect this invitation, ignore this mail: nothing happens unless the link is used.";
        var text = $"""
            Hello {displayName},

            You are invited to join {to}. Open this link within {days} days; it works once.
            {steps}

            {link}

            {ignore}
            """;
        var html = HtmlEncoder.Default;
        var body = $"""
            <p>Hello {html.Encode(displayName)},</p>
            <p>You are invited to join {html.Encode(to)}. Open this link within {days} days; it works once.
            {html.Encode(steps)}</p>
            <p><a href="{html.Encode(link)}">Accept the invitation</a></p>
            <p>{html.Encode(ignore)}</p>
            """;
        return new(Subject, text, body);
    }
}
