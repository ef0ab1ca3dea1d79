using System.Text.Encodings.Web;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Features.Account;

/// <summary>
/// The account centre's mails, text and HTML saying the same; every value is encoded in the HTML (a display name and
/// an address are user input). No link ever appears in a subject line.
/// </summary>
public static class AccountEmails
{
    public const string ConfirmSubject = "Confirm your new Ruum email address";
    public const string NoticeSubject = "Someone asked to change your Ruum email address";
    public const string GoodbyeSubject = "Your Ruum account was deleted";

    public static RenderedEmail ConfirmNewAddress(string displayName, string link, TimeSpan lifetime)
    {
        var hours = (int)lifetime.TotalHours;
        const string ignore = "If you did not ask for this, ignore this mail: nothing changes.";
        var text = $"""
            Hello {displayName},

            To make this address the email of your Ruum account, open this link within {hours} hours, signed in to that
            account. It works once.

            {link}

            {ignore}
            """;
        var html = HtmlEncoder.Default;
        var body = $"""
            <p>Hello {html.Encode(displayName)},</p>
            <p>To make this address the email of your Ruum account, open this link within {hours} hours, signed in to that
            account. It works once.</p>
            <p><a href="{html.Encode(link)}">Confirm this address</a></p>
            <p>{html.Encode(ignore)}</p>
            """;
        return new(ConfirmSubject, text, body);
    }

    /// <summary>To the old address: the change waits for the new one's confirmation, and this link cancels it.</summary>
    public static RenderedEmail ChangeNotice(string displayName, string newEmail, string cancelLink)
    {
        const string advice = "If this was not you, open the link below to cancel the change, then change your password: "
            + "someone may be signed in to your account.";
        var text = $"""
            Hello {displayName},

            Someone signed in to your Ruum account asked to change its email address to {newEmail}. Nothing changes until
            that address confirms it.

            {advice}

            {cancelLink}
            """;
        var html = HtmlEncoder.Default;
        var body = $"""
            <p>Hello {html.Encode(displayName)},</p>
            <p>Someone signed in to your Ruum account asked to change its email address to <strong>{html.Encode(newEmail)}</strong>.
            Nothing changes until that address confirms it.</p>
            <p>{html.Encode(advice)}</p>
            <p><a href="{html.Encode(cancelLink)}">This was not me: cancel the change</a></p>
            """;
        return new(NoticeSubject, text, body);
    }

    public static RenderedEmail Goodbye(string displayName)
    {
        const string what = "Your Ruum account and everything stored with it were deleted, at your request. Applications "
            + "you used with it can no longer sign you in. The security log keeps its entries without your name or address.";
        var text = $"""
            Hello {displayName},

            {what}

            Goodbye, and thank you for using Ruum.
            """;
        var html = HtmlEncoder.Default;
        var body = $"""
            <p>Hello {html.Encode(displayName)},</p>
            <p>{html.Encode(what)}</p>
            <p>Goodbye, and thank you for using Ruum.</p>
            """;
        return new(GoodbyeSubject, text, body);
    }
}
