using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using OtpNet;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Login;
using Ruum.Identity.Tests.Otp;
using Ruum.Identity.Tests.Password;

namespace Ruum.Identity.Tests.Notifications;

/// <summary>Every credential change mails the account's address: what, when, from which device, and where to look (ASVS 5.0 V6.3.7).</summary>
public sealed partial class CredentialNotificationTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task PasswordChange_MailsTheTimeDeviceAndActivityLink_WithoutEitherPassword()
    {
        var user = await _server.CreateUserAsync();
        var flow = ChromeBrowser();
        await flow.GetCodeAsync(user.Email, TestData.Password);

        await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword);

        var mail = AssertNotice(user.Email, "Your Ruum password was changed", "Your password was changed.");
        AssertNoSecret(mail, TestData.Password, PasswordPage.NewPassword);
        await AssertAuditedAsync(user.Id, "password_changed");
    }

    [Fact]
    public async Task Authenticator_AddedRenewedAndRemoved_EachMailsWithoutTheKeyOrCodes()
    {
        var user = await _server.CreateUserAsync();
        var flow = ChromeBrowser();
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/authenticator");
        var secret = SecretKey().Match(await page.TextAsync()).Groups[1].Value;

        var enrolled = await PostAsync(flow, page, "account/authenticator", Code(secret));
        var firstCodes = RecoveryCodes(await enrolled.TextAsync());
        var added = AssertNotice(user.Email, "An authenticator app was added to your Ruum account", "An authenticator app was set up");
        AssertNoSecret(added, [secret, .. firstCodes]);

        var renewed = await PostAsync(flow, await flow.Browser.GetAsync("account/authenticator"), "account/authenticator?handler=NewRecoveryCodes", null);
        var newCodes = RecoveryCodes(await renewed.TextAsync());
        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(firstCodes));
        var renewal = AssertNotice(user.Email, "New recovery codes for your Ruum account", "Your earlier recovery codes no longer work.");
        AssertNoSecret(renewal, [secret, .. firstCodes, .. newCodes]);
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.RecoveryCodesRenewed));

        _server.Clock.Advance(TimeSpan.FromSeconds(30));
        var removed = await PostAsync(flow, await flow.Browser.GetAsync("account/authenticator"), "account/authenticator?handler=Remove", Code(secret));
        Assert.Contains("The authenticator app was removed.", await removed.TextAsync(), StringComparison.Ordinal);
        var removal = AssertNotice(user.Email, "The authenticator app was removed from your Ruum account", "Sign-in codes are now emailed to you.");
        AssertNoSecret(removal, [secret, .. newCodes]);
        await AssertAuditedAsync(user.Id, "authenticator_added", "recovery_codes_renewed", "authenticator_removed");
    }

    [Fact]
    public async Task TrustedDevice_New_MailsItsLabel()
    {
        var user = await _server.CreateUserAsync();

        await _server.TrustedBrowserAsync(user.Email);

        var mail = AssertNotice(user.Email, "A new trusted device on your Ruum account", "A browser was trusted");
        AssertNoSecret(mail, TestData.Password);
        await AssertAuditedAsync(user.Id, "device_trusted");
    }

    [Fact]
    public async Task AccountLocked_ByWrongPasswords_MailsTheOwnerOnce()
    {
        var user = await _server.CreateUserAsync();
        var stranger = ChromeBrowser();
        for (var i = 0; i < 5; i++)
        {
            _server.Clock.Advance(TimeSpan.FromMinutes(1));
            await stranger.SignInAsync(user.Email, "Wrong-Password-" + i);
        }

        var mail = AssertNotice(user.Email, "Your Ruum account was locked after failed attempts", "too many failed sign-in attempts");
        Assert.Single(_server.MessagesTo(user.Email));
        AssertNoSecret(mail, "Wrong-Password-");
        await AssertAuditedAsync(user.Id, "account_locked");
    }

    private AuthorizationCodeFlow ChromeBrowser()
    {
        var flow = new AuthorizationCodeFlow(_server);
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(Reauthentication.ChromeOnWindows);
        return flow;
    }

    /// <summary>The newest mail is this notice, in plain text and HTML, with the time, the device and the activity link.</summary>
    private MimeMessage AssertNotice(string email, string subject, string says)
    {
        var mail = _server.MessagesTo(email)[^1];
        Assert.Equal(subject, mail.Subject);
        var when = _server.Clock.GetUtcNow().UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var activity = new Uri(_server.BaseAddress, "account/activity").ToString();
        foreach (var body in new[] { mail.TextBody, WebUtility.HtmlDecode(mail.HtmlBody) })
        {
            Assert.NotNull(body);
            Assert.Contains(says, body, StringComparison.Ordinal);
            Assert.Contains(when, body, StringComparison.Ordinal);
            Assert.Contains("Chrome on Windows", body, StringComparison.Ordinal);
            Assert.Contains(activity, body, StringComparison.Ordinal);
        }
        return mail;
    }

    private static void AssertNoSecret(MimeMessage mail, params string[] secrets)
    {
        var whole = mail.ToString();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, whole, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotMatch(@"\b\d{6}\b", mail.TextBody);
    }

    private async Task AssertAuditedAsync(Guid userId, params string[] notices)
    {
        var sent = await _server.AuditOfAsync(userId, AuditEventTypes.CredentialChangeEmailSent);
        Assert.Equal(notices.Length, sent.Count);
        foreach (var (row, notice) in sent.Zip(notices))
        {
            Assert.Equal(AuditOutcomes.Success, row.Outcome);
            Assert.Contains($"\"notice\":\"{notice}\"", row.Details, StringComparison.Ordinal);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(AuthorizationCodeFlow flow, HttpResponseMessage page, string url, string? code)
    {
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        };
        if (code is not null)
        {
            form["Code"] = code;
        }
        var response = await flow.Browser.PostAsync(url, new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static List<string> RecoveryCodes(string html) => [.. RecoveryCode().Matches(html).Select(m => m.Groups[1].Value)];

    private string Code(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(_server.Clock.GetUtcNow().UtcDateTime);

    [GeneratedRegex("id=\"secret-key\">([A-Z2-7]+)<")]
    private static partial Regex SecretKey();

    [GeneratedRegex("<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")]
    private static partial Regex RecoveryCode();
}
