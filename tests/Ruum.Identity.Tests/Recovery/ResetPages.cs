using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Recovery;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Tests.Recovery;

/// <summary>/account/forgot-password and /account/reset-password as a browser without JavaScript uses them, and their mail.</summary>
internal static partial class ResetPages
{
    public const string NewPassword = "Lantern-Orchard-Quartz-58";

    public static async Task<HttpResponseMessage> RequestLinkAsync(this HttpClient browser, string email)
    {
        var page = await browser.GetAsync("account/forgot-password");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.PostAsync("account/forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));
    }

    /// <summary>
    /// The reset-link mails to <paramref name="email"/> once there are <paramref name="count"/> (they leave after the
    /// response, so they are waited for; the wait only bounds a failure, nothing is timed).
    /// </summary>
    public static async Task<IReadOnlyList<MimeMessage>> ResetMailsAsync(this RuumServer server, string email, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var mails = server.MessagesTo(email).Where(m => m.Subject == MailTemplates.ResetLinkSubject).ToList();
            if (mails.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(mails.Count >= count, $"{mails.Count} reset mails to {email}, expected {count}.");
                return mails;
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The token of the newest reset link mailed to <paramref name="email"/> (the <paramref name="count"/>-th).</summary>
    public static async Task<string> LinkTokenAsync(this RuumServer server, string email, int count = 1) =>
        TokenOf((await server.ResetMailsAsync(email, count))[^1]);

    public static string TokenOf(MimeMessage mail)
    {
        var match = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, "No reset link in the mail: " + mail.TextBody);
        return match.Groups[1].Value;
    }

    public static string ResetCode(this RuumServer server, string email)
    {
        var mail = server.MessagesTo(email).LastOrDefault(m => m.Subject == MailTemplates.ResetCodeSubject);
        Assert.NotNull(mail);
        var match = CodePattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, "No code in the mail: " + mail.TextBody);
        return match.Groups[1].Value;
    }

    public static Task<HttpResponseMessage> OpenResetAsync(this HttpClient browser, string token) =>
        browser.GetAsync("account/reset-password?token=" + Uri.EscapeDataString(token));

    public static async Task<HttpResponseMessage> SendResetCodeAsync(this HttpClient browser, string token)
    {
        var page = await browser.OpenResetAsync(token);
        return await browser.PostAsync("account/reset-password?handler=SendCode", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));
    }

    /// <summary>Posts the reset form; the antiforgery token comes from a valid page (any link's page will do).</summary>
    public static async Task<HttpResponseMessage> ResetAsync(this HttpClient browser, string token, string code, string password = NewPassword,
        string? confirm = null, string? pageToken = null)
    {
        var page = await browser.GetAsync("account/forgot-password");
        if (pageToken is not null)
        {
            page = await browser.OpenResetAsync(pageToken);
        }
        return await browser.PostAsync("account/reset-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["Input.Code"] = code,
            ["Input.NewPassword"] = password,
            ["Input.ConfirmPassword"] = confirm ?? password,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));
    }

    /// <summary>Gives the user an authenticator app (and recovery codes), as enrolment would.</summary>
    public static async Task<(string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAuthenticatorAsync(this RuumServer server, Guid userId)
    {
        var secret = OtpNet.Base32Encoding.ToString(OtpNet.KeyGeneration.GenerateRandomKey(Authenticators.SecretBytes));
        IReadOnlyList<string> codes = [];
        await server.WithServicesAsync(async services =>
        {
            await services.GetRequiredService<Authenticators>().SaveAsync(userId, secret, confirmed: true, CancellationToken.None);
            codes = await services.GetRequiredService<RecoveryCodes>().IssueAsync(userId, CancellationToken.None);
        });
        return (secret, codes);
    }

    public static string TotpNow(this RuumServer server, string secret) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(server.Clock.GetUtcNow().UtcDateTime);

    [GeneratedRegex(@"/account/reset-password\?token=([A-Za-z0-9_-]{43})\b")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"reset your Ruum password is (\d{6})")]
    private static partial Regex CodePattern();
}
