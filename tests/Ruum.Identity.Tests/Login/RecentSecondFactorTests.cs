using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Password;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;
using Ruum.Identity.Tests.Password;

namespace Ruum.Identity.Tests.Login;

/// <summary>Credential changes need the password and a second factor within Ruum:Session:ReauthenticationWindow (ASVS 5.0 V7.5.1).</summary>
public sealed partial class RecentSecondFactorTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Enrolment_LastSecondFactorSixMinutesOld_AsksToReauthenticateAndEnrolsNothing()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/authenticator");
        var secret = SecretKey().Match(await page.TextAsync()).Groups[1].Value;
        _server.Clock.Advance(TimeSpan.FromMinutes(6));

        var refused = await PostEnrolmentAsync(flow, page, Code(secret));

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(ReauthenticateModel.PathFor("/account/authenticator"), refused.Headers.Location!.OriginalString);
        Assert.False(await IsEnrolledAsync(user.Id));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.AuthenticatorEnrolled));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.CredentialChangeEmailSent));
        Assert.Equal(HttpStatusCode.Redirect, (await flow.Browser.GetAsync("account/authenticator")).StatusCode);

        // Password and the emailed code again: back on the page, which now enrols.
        var back = await flow.ReauthenticateAsync(refused, user.Email);
        Assert.Equal("/account/authenticator", back.Headers.Location!.OriginalString);
        var fresh = await flow.Browser.GetAsync("account/authenticator");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var done = await PostEnrolmentAsync(flow, fresh, Code(secret));
        Assert.Contains("Save your recovery codes", await done.TextAsync(), StringComparison.Ordinal);
        Assert.True(await IsEnrolledAsync(user.Id));
    }

    [Fact]
    public async Task PasswordPage_PasswordOnlySessionOnATrustedDevice_NeedsTheCodeEvenThere()
    {
        var user = await _server.CreateUserAsync();
        var flow = await _server.TrustedBrowserAsync(user.Email);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var mailsBefore = _server.MessagesTo(user.Email).Count;

        var asked = await flow.Browser.GetAsync("account/password");

        Assert.Equal(ReauthenticateModel.PathFor("/account/password"), asked.Headers.Location!.OriginalString);
        var afterPassword = await flow.PostPasswordAsync(asked, TestData.Password);
        // The trusted device skips nothing here: a code is mailed and asked for.
        Assert.Equal("/account/otp", afterPassword.Headers.Location!.OriginalString);
        Assert.Equal(mailsBefore + 1, _server.MessagesTo(user.Email).Count);
        var back = await flow.PostOtpAsync(await flow.Browser.GetAsync("account/otp"), _server.LatestCode(user.Email));
        Assert.Equal("/account/password", back.Headers.Location!.OriginalString);
        var changed = await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword);
        Assert.Contains(ChangePasswordModel.Changed, await changed.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reauthenticate_WrongPassword_IsRefusedCountedAndSendsNoCode()
    {
        var user = await _server.CreateUserAsync();
        var flow = await _server.TrustedBrowserAsync(user.Email);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var mailsBefore = _server.MessagesTo(user.Email).Count;

        var response = await flow.PostPasswordAsync(await flow.Browser.GetAsync("account/password"), "Not-My-Password-123");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.TextAsync();
        Assert.Matches($"id=\"password-error\"><span[^>]*>{Regex.Escape(ReauthenticateModel.WrongPassword)}</span>", html);
        Assert.Equal(mailsBefore, _server.MessagesTo(user.Email).Count);
        Assert.Contains("wrong_password", (await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed)).Last().Details, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await flow.Browser.GetAsync("account/password")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    public async Task Reauthenticate_ReturnUrlToAnotherSite_EndsOnThisSite(string returnUrl)
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var redirect = new HttpResponseMessage(HttpStatusCode.Redirect)
        {
            Headers = { Location = new Uri(ReauthenticateModel.PathFor(returnUrl), UriKind.Relative) },
        };

        var back = await flow.ReauthenticateAsync(redirect, user.Email);

        Assert.Equal("/", back.Headers.Location!.OriginalString);
    }

    private async Task<bool> IsEnrolledAsync(Guid userId) =>
        await _server.WithDatabaseAsync(db => db.Set<Authenticator>().AnyAsync(a => a.UserId == userId && a.ConfirmedAt != null));

    private static async Task<HttpResponseMessage> PostEnrolmentAsync(AuthorizationCodeFlow flow, HttpResponseMessage page, string code) =>
        await flow.Browser.PostAsync("account/authenticator", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));

    private string Code(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(_server.Clock.GetUtcNow().UtcDateTime);

    [GeneratedRegex("id=\"secret-key\">([A-Z2-7]+)<")]
    private static partial Regex SecretKey();
}
