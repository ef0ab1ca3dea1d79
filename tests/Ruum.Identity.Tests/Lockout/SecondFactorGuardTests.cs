using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Lockout;

/// <summary>Concurrent guesses: the attempt is reserved in the database before it is judged, so a burst cannot exceed the limit.</summary>
public sealed partial class SecondFactorGuardTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const int Burst = 50;
    private const int Limit = 10;
    private static readonly string[] Candidates = ["000000", "111111", "222222", "333333", "444444", "555555"];
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task AuthenticatorCode_FiftyWrongAtOnce_AtMostTenJudgedThenLockedEvenForTheRightCode()
    {
        var (user, secret, _) = await EnrolAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        var wrong = WrongTotp(secret);

        var responses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => flow.PostOtpAsync(page, wrong)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertTenJudgedThenLockedAsync(user.Id);
        var right = await flow.PostOtpAsync(page, Totp(secret));
        Assert.Contains(OtpModel.LockedMessage, await right.TextAsync(), StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        // Only the sign-in that enrolled the app.
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInSucceeded));
    }

    [Fact]
    public async Task RecoveryCode_FiftyWrongAtOnce_AtMostTenJudgedThenLockedEvenForARealCode()
    {
        var (user, _, codes) = await EnrolAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.ReachOtpPageAsync(user.Email);
        var page = await flow.Browser.GetAsync("account/otp/recovery");

        var responses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => PostRecoveryAsync(flow, page, "aaaaa-aaaaa")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertTenJudgedThenLockedAsync(user.Id);
        var real = await PostRecoveryAsync(flow, page, codes[0]);
        Assert.Contains(OtpModel.LockedMessage, await real.TextAsync(), StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        Assert.Equal(RecoveryCodes.Count, await _server.WithDatabaseAsync(db => db.Set<RecoveryCode>().CountAsync(r => r.UserId == user.Id && r.UsedAt == null)));
    }

    [Fact]
    public async Task AuthenticatorCode_RightAfterNineWrong_ReleasesTheWholeBudget()
    {
        var (user, secret, _) = await EnrolAsync();
        var flow = new AuthorizationCodeFlow(_server) { AuthenticatorSecret = secret };
        var page = await flow.ReachOtpPageAsync(user.Email);
        for (var i = 0; i < Limit - 1; i++)
        {
            await flow.PostOtpAsync(page, WrongTotp(secret));
        }
        Assert.Equal(Limit - 1, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);

        Assert.Equal(HttpStatusCode.Redirect, (await flow.PostOtpAsync(page, Totp(secret))).StatusCode);

        Assert.Equal(0, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.AccountLocked));
    }

    private async Task AssertTenJudgedThenLockedAsync(Guid userId)
    {
        var failures = await _server.AuditOfAsync(userId, AuditEventTypes.CodeFailed);
        Assert.Equal(Limit, failures.Count(e => !e.Details!.Contains("\"locked\"", StringComparison.Ordinal)));
        Assert.Equal(Burst - Limit, failures.Count(e => e.Details!.Contains("\"locked\"", StringComparison.Ordinal)));
        Assert.Contains("second_factor", Assert.Single(await _server.AuditOfAsync(userId, AuditEventTypes.AccountLocked)).Details, StringComparison.Ordinal);
        var row = (await _server.LockoutOfAsync(userId))!;
        Assert.Equal(_server.Clock.GetUtcNow().AddMinutes(15), row.SecondFactorLockedUntil!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, row.FailedSecondFactors);
    }

    /// <summary>Enrolled through the page; the clock then moves one step so the enrolment code is spent.</summary>
    private async Task<(User User, string Secret, List<string> Codes)> EnrolAsync()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/authenticator");
        var secret = SecretKey().Match(await page.TextAsync()).Groups[1].Value;
        var done = await flow.Browser.PostAsync("account/authenticator", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = Totp(secret),
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));
        var codes = RecoveryCode().Matches(await done.TextAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(RecoveryCodes.Count, codes.Count);
        _server.Clock.Advance(TimeSpan.FromSeconds(30));
        return (user, secret, codes);
    }

    private static async Task<HttpResponseMessage> PostRecoveryAsync(AuthorizationCodeFlow flow, HttpResponseMessage page, string code) =>
        await flow.Browser.PostAsync("account/otp/recovery", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));

    private string Totp(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(_server.Clock.GetUtcNow().UtcDateTime);

    /// <summary>A well-formed code matching no step within the drift window.</summary>
    private string WrongTotp(string secret)
    {
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var now = _server.Clock.GetUtcNow().UtcDateTime;
        var valid = new[] { -60, -30, 0, 30, 60 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet();
        return Candidates.First(c => !valid.Contains(c));
    }

    [GeneratedRegex("id=\"secret-key\">([A-Z2-7]+)<")]
    private static partial Regex SecretKey();

    [GeneratedRegex("<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")]
    private static partial Regex RecoveryCode();
}
