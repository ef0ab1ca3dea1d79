using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Recovery;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;
using Ruum.Identity.Tests.Password;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Tests.Recovery;

public sealed class PasswordResetTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ForgotPassword_KnownAndUnknownEmail_AnswerTheSameAndOnlyTheKnownOneGetsAMail()
    {
        var user = await _server.CreateUserAsync();
        var unknown = TestData.UniqueEmail("nobody");
        var browser = _server.CreateBrowserLikeClient();

        var known = await browser.RequestLinkAsync(user.Email);
        var nobody = await browser.RequestLinkAsync(unknown);
        // A sentinel request after both: its mail is written only after theirs would have been.
        var sentinel = await _server.CreateUserAsync();
        await browser.RequestLinkAsync(sentinel.Email);
        await _server.ResetMailsAsync(sentinel.Email, 1);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nobody.StatusCode);
        Assert.Equal(Notice(await known.TextAsync()), Notice(await nobody.TextAsync()));
        Assert.Contains("If an account exists for that address, we sent it a link", Notice(await known.TextAsync()), StringComparison.Ordinal);
        var mail = Assert.Single(await _server.ResetMailsAsync(user.Email, 1));
        Assert.DoesNotContain("token", mail.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(ResetPages.TokenOf(mail), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(_server.MessagesTo(unknown));
        var refused = Assert.Single(await _server.AuditOfAsync(null, AuditEventTypes.PasswordResetRequested),
            e => e.Details!.Contains("unknown_email", StringComparison.Ordinal));
        Assert.DoesNotContain(unknown, refused.Details!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForgotPassword_DisabledAccount_SameAnswerAndNothingSent()
    {
        var user = await _server.CreateUserAsync(enabled: false);
        var browser = _server.CreateBrowserLikeClient();

        var response = await browser.RequestLinkAsync(user.Email);
        var sentinel = await _server.CreateUserAsync();
        await browser.RequestLinkAsync(sentinel.Email);
        await _server.ResetMailsAsync(sentinel.Email, 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("If an account exists for that address", Notice(await response.TextAsync()), StringComparison.Ordinal);
        Assert.Empty(_server.MessagesTo(user.Email));
        Assert.Empty(await LinksOfAsync(user.Id));
    }

    [Fact]
    public async Task ForgotPassword_FourthRequestInAnHour_SendsNoFourthMailAndOnlyTheNewestLinkWorks()
    {
        var user = await _server.CreateUserAsync();
        var browser = _server.CreateBrowserLikeClient();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.RequestLinkAsync(user.Email)).StatusCode);
        }
        var sentinel = await _server.CreateUserAsync();
        await browser.RequestLinkAsync(sentinel.Email);
        await _server.ResetMailsAsync(sentinel.Email, 1);

        var mails = await _server.ResetMailsAsync(user.Email, 3);
        Assert.Equal(3, mails.Count);
        Assert.Equal(3, (await LinksOfAsync(user.Id)).Count);
        Assert.Contains(await _server.AuditOfAsync(user.Id, AuditEventTypes.PasswordResetRequested),
            e => e.Outcome == AuditOutcomes.Failure && e.Details!.Contains("too_many", StringComparison.Ordinal));
        Assert.Contains(ResetPasswordModel.SupersededLink, await (await browser.OpenResetAsync(ResetPages.TokenOf(mails[0]))).TextAsync(),
            StringComparison.Ordinal);
        var newest = await browser.OpenResetAsync(ResetPages.TokenOf(mails[2]));
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
        Assert.Contains("Choose a new password", await newest.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_EmailedCodeAndGoodPassword_ChangesItEndsSessionsUnlocksVerifiesAndAudits()
    {
        var user = await _server.CreateUserAsync();
        var signedIn = new AuthorizationCodeFlow(_server) { TrustDevice = true };
        var tokens = await signedIn.GetTokensAsync(user.Email, TestData.Password);
        await LockPasswordAsync(user.Id);
        var browser = _server.CreateBrowserLikeClient();
        await browser.RequestLinkAsync(user.Email);
        var token = await _server.LinkTokenAsync(user.Email);

        var page = await browser.OpenResetAsync(token);
        Assert.Contains("same mailbox as this", await page.TextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.MessagesTo(user.Email), m => m.Subject == MailTemplates.ResetCodeSubject);
        var sent = await browser.SendResetCodeAsync(token);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var codeMail = _server.MessagesTo(user.Email)[^1];
        Assert.DoesNotMatch(@"\d{6}", codeMail.Subject);
        var response = await browser.ResetAsync(token, _server.ResetCode(user.Email), pageToken: token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ResetPasswordModel.Done, await response.TextAsync(), StringComparison.Ordinal);
        var after = await UserAsync(user.Id);
        Assert.NotEqual(user.PasswordHash, after.PasswordHash);
        Assert.NotEqual(user.SecurityStamp, after.SecurityStamp);
        Assert.True(after.EmailVerified);
        var lockout = await _server.LockoutOfAsync(user.Id);
        Assert.Null(lockout!.PasswordLockedUntil);
        Assert.Equal(0, lockout.FailedPasswords);
        Assert.All(await DevicesOfAsync(user.Id), d => Assert.NotNull(d.RevokedAt));
        var refresh = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", (await refresh.JsonAsync()).GetProperty("error").GetString());
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.PasswordReset));
        // A reset is a credential change: the account's address is told, without the new password.
        var notice = Assert.Single(_server.MessagesTo(user.Email), m => m.Subject == "Your Ruum password was changed");
        Assert.DoesNotContain(ResetPages.NewPassword, notice.TextBody, StringComparison.Ordinal);
        Assert.Contains(await _server.AuditOfAsync(user.Id, AuditEventTypes.AccountUnlocked),
            e => e.Details!.Contains("password_reset", StringComparison.Ordinal));
        var old = await new AuthorizationCodeFlow(_server).SignInAsync(user.Email, TestData.Password);
        Assert.Contains(LoginModel.FailureMessage, await old.TextAsync(), StringComparison.Ordinal);
        _server.Clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, ResetPages.NewPassword);
        Assert.NotEmpty(fresh.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task ResetPassword_LinkUsedTwice_IsRefusedAndTheSecondPasswordNeverSet()
    {
        var (user, browser, token) = await LinkForNewUserAsync();
        await browser.SendResetCodeAsync(token);
        await browser.ResetAsync(token, _server.ResetCode(user.Email), pageToken: token);
        var afterFirst = await UserAsync(user.Id);

        var reopened = await browser.OpenResetAsync(token);
        var again = await browser.ResetAsync(token, _server.ResetCode(user.Email), "Second-Quartz-Lantern-77");

        Assert.Equal(HttpStatusCode.BadRequest, reopened.StatusCode);
        Assert.Contains(ResetPasswordModel.UsedLink, await reopened.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains(ResetPasswordModel.UsedLink, await again.TextAsync(), StringComparison.Ordinal);
        var after = await UserAsync(user.Id);
        Assert.Equal(afterFirst.PasswordHash, after.PasswordHash);
        Assert.Equal(afterFirst.SecurityStamp, after.SecurityStamp);
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.PasswordReset));
    }

    [Fact]
    public async Task ResetPassword_LinkExpired_IsRefusedAndNothingChanges()
    {
        var (user, browser, token) = await LinkForNewUserAsync();
        await browser.SendResetCodeAsync(token);
        var code = _server.ResetCode(user.Email);

        _server.Clock.Advance(TimeSpan.FromMinutes(31));
        var page = await browser.OpenResetAsync(token);
        var post = await browser.ResetAsync(token, code);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(ResetPasswordModel.ExpiredLink, await page.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains(ResetPasswordModel.ExpiredLink, await post.TextAsync(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task ResetPassword_LinkAlteredByOneCharacter_IsRefusedAndNothingChanges()
    {
        var (user, browser, token) = await LinkForNewUserAsync();
        await browser.SendResetCodeAsync(token);
        var altered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        var page = await browser.OpenResetAsync(altered);
        var post = await browser.ResetAsync(altered, _server.ResetCode(user.Email));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(ResetPasswordModel.UnknownLink, await page.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains(ResetPasswordModel.UnknownLink, await post.TextAsync(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task ResetPassword_LinkWithAnotherAccountsCode_IsRefusedCountedAndNeitherAccountChanges()
    {
        var (user, browser, token) = await LinkForNewUserAsync();
        var (other, otherBrowser, otherToken) = await LinkForNewUserAsync();
        await browser.SendResetCodeAsync(token);
        await otherBrowser.SendResetCodeAsync(otherToken);
        var otherCode = _server.ResetCode(other.Email);
        Assert.NotEqual(_server.ResetCode(user.Email), otherCode);

        var response = await browser.ResetAsync(token, otherCode, pageToken: token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "Code", "code-error", ResetPasswordModel.WrongCode);
        Assert.Equal(1, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
        await AssertNothingChangedAsync(user);
        await AssertNothingChangedAsync(other);
    }

    [Fact]
    public async Task ResetPassword_WrongAuthenticatorCode_CountsTowardTheSecondFactorLock()
    {
        var user = await _server.CreateUserAsync();
        var (secret, _) = await _server.EnrolAuthenticatorAsync(user.Id);
        var browser = _server.CreateBrowserLikeClient();
        await browser.RequestLinkAsync(user.Email);
        var token = await _server.LinkTokenAsync(user.Email);
        var page = await (await browser.OpenResetAsync(token)).TextAsync();
        Assert.Contains("authenticator app", page, StringComparison.Ordinal);
        Assert.DoesNotContain("send-code", page, StringComparison.Ordinal);
        var right = _server.TotpNow(secret);
        var wrong = right == "000000" ? "111111" : "000000";

        var first = await browser.ResetAsync(token, wrong, pageToken: token);

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        PasswordPage.AssertFieldError(await first.TextAsync(), "Code", "code-error", ResetPasswordModel.WrongCode);
        Assert.Equal(1, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
        Assert.Contains(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeFailed),
            e => e.Details!.Contains("password_reset", StringComparison.Ordinal));
        for (var i = 1; i < 10; i++)
        {
            await browser.ResetAsync(token, wrong, pageToken: token);
        }
        var locked = await browser.ResetAsync(token, right, pageToken: token);
        Assert.Contains(OtpModel.LockedMessage, await locked.TextAsync(), StringComparison.Ordinal);
        Assert.NotNull((await _server.LockoutOfAsync(user.Id))!.SecondFactorLockedUntil);
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task ResetPassword_RecoveryCodeOfAnAuthenticatorUser_SetsThePasswordAndSpendsTheCode()
    {
        var user = await _server.CreateUserAsync();
        var (_, codes) = await _server.EnrolAuthenticatorAsync(user.Id);
        var browser = _server.CreateBrowserLikeClient();
        await browser.RequestLinkAsync(user.Email);
        var token = await _server.LinkTokenAsync(user.Email);

        var response = await browser.ResetAsync(token, codes[0].ToUpperInvariant(), pageToken: token);

        Assert.Contains(ResetPasswordModel.Done, await response.TextAsync(), StringComparison.Ordinal);
        Assert.NotEqual(user.PasswordHash, (await UserAsync(user.Id)).PasswordHash);
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.RecoveryCodeUsed));
    }

    [Fact]
    public async Task Tokens_EmailScope_SayEmailVerifiedOnlyOnceAResetProvedTheAddress()
    {
        var (user, browser, token) = await LinkForNewUserAsync();
        var before = await new AuthorizationCodeFlow(_server) { Scope = "openid email" }.GetTokensAsync(user.Email, TestData.Password);
        // Read before the reset: a reset is a credential change, after which userinfo refuses the earlier token.
        var claimsBefore = await ClaimsEverywhereAsync(before);

        await browser.SendResetCodeAsync(token);
        await browser.ResetAsync(token, _server.ResetCode(user.Email), pageToken: token);
        _server.Clock.Advance(TimeSpan.FromSeconds(2));
        var after = await new AuthorizationCodeFlow(_server) { Scope = "openid email" }.GetTokensAsync(user.Email, ResetPages.NewPassword);

        Assert.All(claimsBefore, claims => Assert.Equal(System.Text.Json.JsonValueKind.False, claims.GetProperty("email_verified").ValueKind));
        Assert.All(await ClaimsEverywhereAsync(after), claims => Assert.Equal(System.Text.Json.JsonValueKind.True, claims.GetProperty("email_verified").ValueKind));
    }

    /// <summary>The claims of the access token, the ID token and userinfo.</summary>
    private async Task<System.Text.Json.JsonElement[]> ClaimsEverywhereAsync(System.Text.Json.JsonElement tokens)
    {
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var userInfo = _server.CreatePlainClient();
        userInfo.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        return [Jwt.Payload(accessToken), Jwt.Payload(tokens.GetProperty("id_token").GetString()!),
            await (await userInfo.GetAsync("connect/userinfo")).JsonAsync()];
    }

    [Theory]
    [InlineData("Short-pw-11", "too-short")]
    [InlineData("10 KB", NewPasswordRules.TooLong)]
    [InlineData("            ", NewPasswordRules.OnlySpaces)]
    [InlineData("Password1234", NewPasswordRules.Common)]
    [InlineData("ruumruumruum", NewPasswordRules.ProductName)]
    [InlineData("{email}", NewPasswordRules.Personal)]
    public async Task ResetPassword_GuessablePassword_IsRefusedAndSpendsNeitherLinkNorCode(string password, string message)
    {
        var (user, browser, token) = await LinkForNewUserAsync();
        await browser.SendResetCodeAsync(token);
        password = password == "10 KB" ? new string('x', 10 * 1024) : password.Replace("{email}", user.Email, StringComparison.Ordinal);
        message = message == "too-short" ? NewPasswordRules.TooShort(12) : message;

        var response = await browser.ResetAsync(token, _server.ResetCode(user.Email), password, pageToken: token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "NewPassword", "new-password-error", message);
        await AssertNothingChangedAsync(user);
        Assert.Equal(0, (await _server.LockoutOfAsync(user.Id))?.FailedSecondFactors ?? 0);
        var retry = await browser.ResetAsync(token, _server.ResetCode(user.Email), pageToken: token);
        Assert.Contains(ResetPasswordModel.Done, await retry.TextAsync(), StringComparison.Ordinal);
    }

    private async Task<(User User, HttpClient Browser, string Token)> LinkForNewUserAsync()
    {
        var user = await _server.CreateUserAsync();
        var browser = _server.CreateBrowserLikeClient();
        await browser.RequestLinkAsync(user.Email);
        return (await UserAsync(user.Id), browser, await _server.LinkTokenAsync(user.Email));
    }

    private async Task AssertNothingChangedAsync(User before)
    {
        var after = await UserAsync(before.Id);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);
        Assert.False(after.EmailVerified);
        Assert.Empty(await _server.AuditOfAsync(before.Id, AuditEventTypes.PasswordReset));
        Assert.All(await LinksOfAsync(before.Id), l => Assert.Null(l.UsedAt));
    }

    /// <summary>As after five wrong passwords.</summary>
    private async Task LockPasswordAsync(Guid userId) =>
        await _server.WithDatabaseAsync(async db =>
        {
            var until = _server.Clock.GetUtcNow().AddMinutes(15);
            if (await db.Set<AccountLockout>().Where(l => l.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(l => l.PasswordLockedUntil, until)) == 0)
            {
                db.Add(new AccountLockout { UserId = userId, PasswordLockedUntil = until });
                await db.SaveChangesAsync();
            }
        });

    private static string Notice(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "id=\"forgot-notice\">([^<]*)<").Groups[1].Value;

    private async Task<User> UserAsync(Guid id) =>
        await _server.WithDatabaseAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == id));

    private async Task<List<PasswordResetLink>> LinksOfAsync(Guid userId) =>
        await _server.WithDatabaseAsync(db => db.Set<PasswordResetLink>().AsNoTracking().Where(l => l.UserId == userId).ToListAsync());

    private async Task<List<TrustedDevice>> DevicesOfAsync(Guid userId) =>
        await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().AsNoTracking().Where(d => d.UserId == userId).ToListAsync());
}
