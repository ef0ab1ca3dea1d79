using System.Text.RegularExpressions;
using MimeKit;
using Ruum.Identity.Features.Notifications.Templates;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>Reads the Development pickup folder of one server, as a person would open the .eml files.</summary>
public static partial class Mailbox
{
    public static IReadOnlyList<MimeMessage> MessagesTo(this RuumServer server, string email)
    {
        if (!Directory.Exists(server.MailFolder))
        {
            return [];
        }
        // File names are version 7 GUIDs: they sort in sending order.
        return [.. Directory.GetFiles(server.MailFolder, "*.eml").Order(StringComparer.Ordinal)
            .Select(path => MimeMessage.Load(path))
            .Where(m => m.To.Mailboxes.Any(a => EmailAddress.Normalize(a.Address) == EmailAddress.Normalize(email)))];
    }

    /// <summary>The code in the newest sign-in mail to this address.</summary>
    public static string LatestCode(this RuumServer server, string email)
    {
        // Security notices (a lock, a new trusted device) may have come after it.
        var messages = server.MessagesTo(email).Where(m => m.Subject is MailTemplates.SignInCodeSubject or SpanishSignInCodeSubject).ToList();
        Assert.True(messages.Count > 0, $"No sign-in code mail to {email} in {server.MailFolder}.");
        var body = messages[^1].TextBody ?? "";
        var match = CodePattern().Match(body);
        Assert.True(match.Success, "No code in the mail: " + body);
        return match.Groups[1].Value;
    }

    /// <summary>The sign-in code mail's subject in Spanish (Features/Notifications/Templates/MailTemplates.es.resx).</summary>
    public const string SpanishSignInCodeSubject = "Tu código de inicio de sesión de Ruum";

    [GeneratedRegex(@"(?:sign-in code is|código de inicio de sesión de Ruum es) (\d{6})")]
    private static partial Regex CodePattern();
}
