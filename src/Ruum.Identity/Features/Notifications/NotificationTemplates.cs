using System.Globalization;
using System.Text.Encodings.Web;

namespace Ruum.Identity.Features.Notifications;

/// <summary>What one notice says: the facts a person needs to recognise the change, never a secret.</summary>
/// <param name="When">The time of the change, already formatted.</param>
/// <param name="Device">The browser and platform the request came from (from its User-Agent).</param>
/// <param name="ActivityUrl">Where the account's recent activity is listed.</param>
public sealed record NoticeFacts(string DisplayName, string When, string Device, string ActivityUrl);

public sealed record RenderedNotice(string Subject, string Text, string Html);

/// <summary>
/// Every credential-change mail in one place, so a later translation replaces this file only. Plain text and
/// HTML say the same; the HTML encodes every value (a display name is user input).
/// </summary>
public static class NotificationTemplates
{
    public static RenderedNotice Render(CredentialNotice notice, NoticeFacts facts)
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
        const string warning = "If this was not you, change your password now and review your recent activity.";
        var text = $"""
            Hello {facts.DisplayName},

            {what} {advice}

            When: {facts.When}
            Device: {facts.Device}

            {warning}
            {facts.ActivityUrl}
            """;
        var html = HtmlEncoder.Default;
        var body = string.Create(CultureInfo.InvariantCulture, $"""
            <p>Hello {html.Encode(facts.DisplayName)},</p>
            <p>{html.Encode(what)} {html.Encode(advice)}</p>
            <p>When: {html.Encode(facts.When)}<br>Device: {html.Encode(facts.Device)}</p>
            <p>{html.Encode(warning)} <a href="{html.Encode(facts.ActivityUrl)}">Recent activity</a></p>
            """);
        return new(subject, text, body);
    }

    /// <summary>Minutes are enough to recognise the moment; UTC, as the mail may be read in another time zone.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
