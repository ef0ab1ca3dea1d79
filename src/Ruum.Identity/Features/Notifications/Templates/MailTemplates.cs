using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Localization;

namespace Ruum.Identity.Features.Notifications.Templates;

/// <summary>
/// Every mail Ruum sends, in one place: English text is the key, Spanish is in MailTemplates.es.resx. A mail is
/// written in the language of the request that causes it (the page's language). Plain text and HTML say the same;
/// the HTML encodes every value (a display name is user input). Neither a code, a link nor a password ever appears
/// in a subject line, which mail lists and lock screens show.
/// </summary>
public sealed class MailTemplates(IStringLocalizer<MailTemplates> text)
{
    public const string SignInCodeSubject = "Your Ruum sign-in code";
    public const string ResetLinkSubject = "Reset your Ruum password";
    public const string ResetCodeSubject = "Your code to reset your Ruum password";
    public const string InvitationSubject = "You are invited to Ruum";
    public const string ConfirmAddressSubject = "Confirm your new Ruum email address";
    public const string AddressChangeSubject = "Someone asked to change your Ruum email address";
    public const string GoodbyeSubject = "Your Ruum account was deleted";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public RenderedEmail SignInCode(string displayName, string code, TimeSpan lifetime)
    {
        var hello = text["Hello {0},", displayName];
        var says = text["Your Ruum sign-in code is {0}. It expires in {1} minutes.", code, Minutes(lifetime)];
        var saysHtml = text["Your Ruum sign-in code is {0}. It expires in {1} minutes.", $"<strong>{Html.Encode(code)}</strong>", Minutes(lifetime)];
        var warning = text["If you did not just try to sign in, someone knows your password: change it."];
        return new(text[SignInCodeSubject],
            $"{hello}\n\n{says}\n\n{warning}\n",
            $"<p>{Html.Encode(hello)}</p>\n<p>{EncodeAround(saysHtml, code)}</p>\n<p>{Html.Encode(warning)}</p>\n");
    }

    public RenderedEmail Notice(CredentialNotice notice, NoticeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var (subject, what, advice) = notice switch
        {
            CredentialNotice.PasswordChanged => ("Your Ruum password was changed",
                "Your password was changed.", "Other browsers and apps were signed out."),
            CredentialNotice.AuthenticatorAdded => ("An authenticator app was added to your Ruum account",
                "An authenticator app was set up for your account.", "Sign-in codes now come from that app."),
            CredentialNotice.AuthenticatorRemoved => ("The authenticator app was removed from your Ruum account",
                "The authenticator app was removed from your account.", "Sign-in codes are now emailed to you."),
            CredentialNotice.RecoveryCodesRenewed => ("New recovery codes for your Ruum account",
                "New recovery codes were created for your account.", "Your earlier recovery codes no longer work."),
            CredentialNotice.DeviceTrusted => ("A new trusted device on your Ruum account",
                "A browser was trusted to sign in to your account without a code.", "You can remove it from your trusted devices."),
            CredentialNotice.AccountLocked => ("Your Ruum account was locked after failed attempts",
                "Your account was locked for a while after too many failed sign-in attempts.",
                "Your trusted devices can still sign in; wait a few minutes on other browsers."),
            _ => throw new ArgumentOutOfRangeException(nameof(notice), notice, null),
        };
        var hello = text["Hello {0},", facts.DisplayName];
        var happened = $"{text[what]} {text[advice]}";
        var when = text["When: {0}", facts.When];
        var device = text["Device: {0}", facts.Device];
        var warning = text["If this was not you, change your password now and review your recent activity."];
        return new(text[subject],
            $"{hello}\n\n{happened}\n\n{when}\n{device}\n\n{warning}\n{facts.ActivityUrl}\n",
            $"""
            <p>{Html.Encode(hello)}</p>
            <p>{Html.Encode(happened)}</p>
            <p>{Html.Encode(when)}<br>{Html.Encode(device)}</p>
            <p>{Html.Encode(warning)} <a href="{Html.Encode(facts.ActivityUrl)}">{Html.Encode(text["Recent activity"])}</a></p>

            """);
    }

    public RenderedEmail ResetLink(string displayName, string link, TimeSpan lifetime)
    {
        var hello = text["Hello {0},", displayName];
        var open = text["To choose a new Ruum password, open this link within {0} minutes. It works once, and you will also be asked for your second factor (a code from your authenticator app, a recovery code, or a code we email you).", Minutes(lifetime)];
        var ignore = text["If you did not ask for this, ignore this mail: your password stays as it is."];
        return new(text[ResetLinkSubject],
            $"{hello}\n\n{open}\n\n{link}\n\n{ignore}\n",
            $"""
            <p>{Html.Encode(hello)}</p>
            <p>{Html.Encode(open)}</p>
            <p><a href="{Html.Encode(link)}">{Html.Encode(text["Choose a new password"])}</a></p>
            <p>{Html.Encode(ignore)}</p>

            """);
    }

    public RenderedEmail ResetCode(string displayName, string code, TimeSpan lifetime)
    {
        var hello = text["Hello {0},", displayName];
        var says = text["Your code to reset your Ruum password is {0}. It expires in {1} minutes.", code, Minutes(lifetime)];
        var saysHtml = text["Your code to reset your Ruum password is {0}. It expires in {1} minutes.", $"<strong>{Html.Encode(code)}</strong>", Minutes(lifetime)];
        var warning = text["If you did not just ask to reset your password, someone can read this mailbox or has your link: do not share this code, and set up an authenticator app once you are signed in."];
        return new(text[ResetCodeSubject],
            $"{hello}\n\n{says}\n\n{warning}\n",
            $"<p>{Html.Encode(hello)}</p>\n<p>{EncodeAround(saysHtml, code)}</p>\n<p>{Html.Encode(warning)}</p>\n");
    }

    public RenderedEmail Invitation(string displayName, string? companyName, string link, TimeSpan lifetime)
    {
        var hello = text["Hello {0},", displayName];
        var join = companyName is null
            ? text["You are invited to join Ruum. Open this link within {0} days; it works once.", Days(lifetime)]
            : text["You are invited to join {0} on Ruum. Open this link within {1} days; it works once.", companyName, Days(lifetime)];
        var steps = text["You will choose your password and set up a second factor, then you are signed in."];
        var ignore = text["If you do not expect this invitation, ignore this mail: nothing happens unless the link is used."];
        return new(text[InvitationSubject],
            $"{hello}\n\n{join}\n{steps}\n\n{link}\n\n{ignore}\n",
            $"""
            <p>{Html.Encode(hello)}</p>
            <p>{Html.Encode(join)} {Html.Encode(steps)}</p>
            <p><a href="{Html.Encode(link)}">{Html.Encode(text["Accept the invitation"])}</a></p>
            <p>{Html.Encode(ignore)}</p>

            """);
    }

    public RenderedEmail ConfirmNewAddress(string displayName, string link, TimeSpan lifetime)
    {
        var hello = text["Hello {0},", displayName];
        var open = text["To make this address the email of your Ruum account, open this link within {0} hours, signed in to that account. It works once.",
            ((int)lifetime.TotalHours).ToString(CultureInfo.CurrentCulture)];
        var ignore = text["If you did not ask for this, ignore this mail: nothing changes."];
        return new(text[ConfirmAddressSubject],
            $"{hello}\n\n{open}\n\n{link}\n\n{ignore}\n",
            $"""
            <p>{Html.Encode(hello)}</p>
            <p>{Html.Encode(open)}</p>
            <p><a href="{Html.Encode(link)}">{Html.Encode(text["Confirm this address"])}</a></p>
            <p>{Html.Encode(ignore)}</p>

            """);
    }

    /// <summary>To the old address: the change waits for the new one's confirmation, and this link cancels it.</summary>
    public RenderedEmail AddressChangeNotice(string displayName, string newEmail, string cancelLink)
    {
        var hello = text["Hello {0},", displayName];
        var asked = text["Someone signed in to your Ruum account asked to change its email address to {0}. Nothing changes until that address confirms it.", newEmail];
        var advice = text["If this was not you, open the link below to cancel the change, then change your password: someone may be signed in to your account."];
        return new(text[AddressChangeSubject],
            $"{hello}\n\n{asked}\n\n{advice}\n\n{cancelLink}\n",
            $"""
            <p>{Html.Encode(hello)}</p>
            <p>{Html.Encode(asked)}</p>
            <p>{Html.Encode(advice)}</p>
            <p><a href="{Html.Encode(cancelLink)}">{Html.Encode(text["This was not me: cancel the change"])}</a></p>

            """);
    }

    public RenderedEmail Goodbye(string displayName)
    {
        var hello = text["Hello {0},", displayName];
        var what = text["Your Ruum account and everything stored with it were deleted, at your request. Applications you used with it can no longer sign you in. The security log keeps its entries without your name or address."];
        var bye = text["Goodbye, and thank you for using Ruum."];
        return new(text[GoodbyeSubject],
            $"{hello}\n\n{what}\n\n{bye}\n",
            $"<p>{Html.Encode(hello)}</p>\n<p>{Html.Encode(what)}</p>\n<p>{Html.Encode(bye)}</p>\n");
    }

    /// <summary>Minutes are enough to recognise the moment; UTC, as the mail may be read in another time zone.</summary>
    public string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(text["d MMMM yyyy, HH:mm 'UTC'"], CultureInfo.CurrentCulture);

    private static string Minutes(TimeSpan lifetime) => ((int)lifetime.TotalMinutes).ToString(CultureInfo.CurrentCulture);

    private static string Days(TimeSpan lifetime) => ((int)lifetime.TotalDays).ToString(CultureInfo.CurrentCulture);

    /// <summary>Encodes a sentence that holds one trusted <c>&lt;strong&gt;</c> around an encoded code.</summary>
    private static string EncodeAround(string sentence, string code)
    {
        var strong = $"<strong>{Html.Encode(code)}</strong>";
        var at = sentence.IndexOf(strong, StringComparison.Ordinal);
        return Html.Encode(sentence[..at]) + strong + Html.Encode(sentence[(at + strong.Length)..]);
    }
}

public sealed record RenderedEmail(string Subject, string Text, string Html);

/// <summary>What one credential-change notice says: the facts a person needs to recognise the change, never a secret.</summary>
/// <param name="When">The time of the change (<see cref="MailTemplates.FormatTime"/>).</param>
/// <param name="Device">The browser and platform the request came from (from its User-Agent).</param>
/// <param name="ActivityUrl">Where the account's recent activity is listed.</param>
public sealed record NoticeFacts(string DisplayName, string When, string Device, string ActivityUrl);
