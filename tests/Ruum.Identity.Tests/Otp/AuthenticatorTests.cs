using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Otp;

public sealed partial class AuthenticatorTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Enrolment_FromTheTextKey_NeedsAValidCodeThenShowsTenRecoveryCodesOnce()
    {
        var user = await _server.CreateUserAsync();
        var elsewhere = new AuthorizationCodeFlow(_server) { TrustDevice = true };
        await elsewhere.GetCodeAsync(user.Email, TestData.Password);
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var page = await flow.Browser.GetAsync("account/authenticator");
        var html = await page.TextAsync();
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        // The QR code is markup of this page: no image request, and nothing the CSP (no inline styles or scripts) blocks.
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var secret = SecretKey().Match(html).Groups[1].Value;
        Assert.Equal(32, secret.Length);

        var wrong = await PostEnrolmentAsync(flow, page, "000000" == Code(secret) ? "111111" : "000000");
        Assert.Contains("That code is not right.", await wrong.TextAsync(), StringComparison.Ordinal);
        Assert.False(await IsEnabledAsync(user.Id));

        var done = await PostEnrolmentAsync(flow, wrong, Code(secret));
        var codes = RecoveryCode().Matches(await done.TextAsync()).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(10, codes.Distinct().Count());
        Assert.True(await IsEnabledAsync(user.Id));
        var stored = await _server.WithDatabaseAsync(db => db.Set<Authenticator>().AsNoTracking().SingleAsync(a => a.UserId == user.Id));
        Assert.DoesNotContain(secret, stored.ProtectedSecret, StringComparison.Ordinal);
        var hashes = await _server.WithDatabaseAsync(db => db.Set<RecoveryCode>().AsNoTracking().Where(r => r.UserId == user.Id).Select(r => r.CodeHash).ToListAsync());
        Assert.Equal(10, hashes.Count);
        Assert.DoesNotContain(hashes, h => codes.Any(c => h.Contains(c, StringComparison.OrdinalIgnoreCase)));
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.AuthenticatorEnrolled));
        // A new second factor ends every other session and every trusted device.
        Assert.False(await elsewhere.IsSignedInAsync());
        Assert.Equal(0, await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().CountAsync(d => d.UserId == user.Id && d.RevokedAt == null)));
        // The browser that enrolled stays signed in under the new security stamp; the codes are not shown again.
        var later = await flow.Browser.GetAsync("account/authenticator");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.DoesNotContain(codes[0], await later.TextAsync(), StringComparison.Ordinal);
        Assert.Contains("10 unused recovery codes", await later.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticator_SignIn_IssuesTokensSayingPwdOtpMfa()
    {
        var (user, secret) = await CreateEnrolledUserAsync();
        var flow = new AuthorizationCodeFlow(_server) { AuthenticatorSecret = secret };
        var mailsBefore = _server.MessagesTo(user.Email).Count;

        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);

        foreach (var name in new[] { "id_token", "access_token" })
        {
            var payload = SecondStep.JwtPayload(tokens.GetProperty(name).GetString()!);
            Assert.Equal(["pwd", "otp", "mfa"], SecondStep.Amr(payload));
            Assert.False(payload.TryGetProperty("acr", out _));
        }
        Assert.Equal(mailsBefore, _server.MessagesTo(user.Email).Count);
    }

    [Fact]
    public async Task Authenticator_CodeReplayedInTheSameStep_IsRefused()
    {
        var (user, secret) = await CreateEnrolledUserAsync();
        var first = new AuthorizationCodeFlow(_server) { AuthenticatorSecret = secret };
        await first.GetCodeAsync(user.Email, TestData.Password);
        var code = Code(secret);

        var second = new AuthorizationCodeFlow(_server);
        var page = await second.ReachOtpPageAsync(user.Email);
        var response = await second.PostOtpAsync(page, code);

        Assert.Contains("That code was already used.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await second.IsSignedInAsync());
        Assert.Contains("replayed", Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeFailed)).Details, StringComparison.Ordinal);
        Assert.Equal(1, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
    }

    [Fact]
    public async Task Authenticator_OneStepOfDrift_IsAcceptedButTwoAreNot()
    {
        var (user, secret) = await CreateEnrolledUserAsync();
        _server.Clock.Advance(TimeSpan.FromSeconds(60));
        var now = _server.Clock.GetUtcNow().UtcDateTime;
        var twoStepsOld = Code(secret, now.AddSeconds(-60));
        var oneStepOld = Code(secret, now.AddSeconds(-30));
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);

        if (twoStepsOld != Code(secret) && twoStepsOld != oneStepOld)
        {
            Assert.Contains("That code is not right.", await (await flow.PostOtpAsync(page, twoStepsOld)).TextAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await flow.PostOtpAsync(page, oneStepOld)).StatusCode);
    }

    [Fact]
    public async Task Authenticator_OtpPage_SaysOpenTheAppAndOffersRecoveryNotResend()
    {
        var (user, _) = await CreateEnrolledUserAsync();
        var flow = new AuthorizationCodeFlow(_server);

        var html = await (await flow.ReachOtpPageAsync(user.Email)).TextAsync();

        Assert.Contains("Open your authenticator app", html, StringComparison.Ordinal);
        Assert.Contains("Use a recovery code", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Send a new code", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnceAndIsThenSpent()
    {
        var (user, _, codes) = await CreateEnrolledUserWithCodesAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.ReachOtpPageAsync(user.Email);

        var used = await PostRecoveryAsync(flow, codes[0].ToUpperInvariant());

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.True(await flow.IsSignedInAsync());
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.RecoveryCodeUsed));

        var again = new AuthorizationCodeFlow(_server);
        await again.ReachOtpPageAsync(user.Email);
        var refused = await PostRecoveryAsync(again, codes[0]);
        Assert.Contains("That recovery code is not right or was already used.", await refused.TextAsync(), StringComparison.Ordinal);
        Assert.False(await again.IsSignedInAsync());
        var tokens = await again.RedeemAsync(again.CodeFrom(await again.FollowAsync(await PostRecoveryAsync(again, codes[1]))));
        var payload = SecondStep.JwtPayload((await tokens.JsonAsync()).GetProperty("id_token").GetString()!);
        Assert.Equal(["pwd", "mfa"], SecondStep.Amr(payload));
        Assert.Equal(SecondFactorFacts.RecoveryCodeContext, payload.GetProperty("acr").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-code")]
    [InlineData("LONG")]
    public async Task RecoveryCode_Malformed_IsRefusedClearly(string input)
    {
        var (user, _, _) = await CreateEnrolledUserWithCodesAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.ReachOtpPageAsync(user.Email);

        var response = await PostRecoveryAsync(flow, input == "LONG" ? new string('a', 10 * 1024) : input);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK);
        var html = await response.TextAsync();
        Assert.True(html.Contains("That is not a recovery code.", StringComparison.Ordinal)
            || html.Contains("Enter one of your recovery codes.", StringComparison.Ordinal)
            || html.Contains("That recovery code is not right", StringComparison.Ordinal), html);
        Assert.False(await flow.IsSignedInAsync());
        Assert.Equal(10, await _server.WithDatabaseAsync(db => db.Set<RecoveryCode>().CountAsync(r => r.UserId == user.Id && r.UsedAt == null)));
    }

    [Fact]
    public async Task Authenticator_Removed_BringsBackEmailedCodesAndRevokesDevices()
    {
        var (user, secret) = await CreateEnrolledUserAsync();
        var flow = new AuthorizationCodeFlow(_server) { AuthenticatorSecret = secret, TrustDevice = true };
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/authenticator");
        _server.Clock.Advance(TimeSpan.FromSeconds(30));

        var refused = await PostRemovalAsync(flow, page, Code(secret, _server.Clock.GetUtcNow().UtcDateTime.AddSeconds(-30)));
        Assert.Contains("That code is not right.", await refused.TextAsync(), StringComparison.Ordinal);
        Assert.True(await IsEnabledAsync(user.Id));
        var removed = await PostRemovalAsync(flow, refused, Code(secret));

        Assert.Contains("The authenticator app was removed.", await removed.TextAsync(), StringComparison.Ordinal);
        Assert.False(await IsEnabledAsync(user.Id));
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.AuthenticatorRemoved));
        Assert.Equal(0, await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().CountAsync(d => d.UserId == user.Id && d.RevokedAt == null)));
        var next = new AuthorizationCodeFlow(_server);
        Assert.Contains("We sent a 6-digit code", await (await next.ReachOtpPageAsync(user.Email)).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeededOwner_SignsInWithTheFixedDevelopmentSecret()
    {
        var flow = new AuthorizationCodeFlow(_server) { AuthenticatorSecret = DevelopmentSeed.OwnerAuthenticatorSecret };

        var tokens = await flow.GetTokensAsync(DevelopmentSeed.OwnerEmail, DevelopmentSeed.Password);

        Assert.Equal(["pwd", "otp", "mfa"], SecondStep.Amr(SecondStep.JwtPayload(tokens.GetProperty("access_token").GetString()!)));
        var member = await _server.WithDatabaseAsync(db => db.Set<User>().SingleAsync(u => u.NormalizedEmail == EmailAddress.Normalize(DevelopmentSeed.MemberEmail)));
        Assert.Equal("Mario Member", member.DisplayName);
        Assert.False(await IsEnabledAsync(member.Id));
    }

    private async Task<(User User, string Secret)> CreateEnrolledUserAsync()
    {
        var (user, secret, _) = await CreateEnrolledUserWithCodesAsync();
        return (user, secret);
    }

    /// <summary>Enrolled through the page, as a person would; the clock then moves one step so the enrolment code is spent.</summary>
    private async Task<(User User, string Secret, List<string> Codes)> CreateEnrolledUserWithCodesAsync()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/authenticator");
        var secret = SecretKey().Match(await page.TextAsync()).Groups[1].Value;
        var done = await PostEnrolmentAsync(flow, page, Code(secret));
        var codes = RecoveryCode().Matches(await done.TextAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        _server.Clock.Advance(TimeSpan.FromSeconds(30));
        return (user, secret, codes);
    }

    private static async Task<HttpResponseMessage> PostEnrolmentAsync(AuthorizationCodeFlow flow, HttpResponseMessage page, string code) =>
        await flow.Browser.PostAsync("account/authenticator", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));

    private static async Task<HttpResponseMessage> PostRemovalAsync(AuthorizationCodeFlow flow, HttpResponseMessage page, string code) =>
        await flow.Browser.PostAsync("account/authenticator?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));

    private static async Task<HttpResponseMessage> PostRecoveryAsync(AuthorizationCodeFlow flow, string code)
    {
        var page = await flow.Browser.GetAsync("account/otp/recovery");
        return await flow.Browser.PostAsync("account/otp/recovery", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));
    }

    private async Task<bool> IsEnabledAsync(Guid userId) =>
        await _server.WithDatabaseAsync(db => db.Set<Authenticator>().AnyAsync(a => a.UserId == userId && a.ConfirmedAt != null));

    private string Code(string secret) => Code(secret, _server.Clock.GetUtcNow().UtcDateTime);

    private static string Code(string secret, DateTime at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at);

    [GeneratedRegex("id=\"secret-key\">([A-Z2-7]+)<")]
    private static partial Regex SecretKey();

    [GeneratedRegex("<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")]
    private static partial Regex RecoveryCode();
}
