using System.Net;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Otp;

public sealed class EmailCodeTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task EmailCode_Correct_IssuesTokensSayingPwdMfaAndEmailAcr()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);

        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);

        foreach (var name in new[] { "id_token", "access_token" })
        {
            var payload = SecondStep.JwtPayload(tokens.GetProperty(name).GetString()!);
            Assert.Equal(["pwd", "mfa"], SecondStep.Amr(payload));
            Assert.Equal(SecondFactorFacts.EmailCodeContext, payload.GetProperty("acr").GetString());
            Assert.True(payload.TryGetProperty("auth_time", out _));
        }
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeVerified));
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInSucceeded));
        // The code is in the body only: subject lines show on lock screens and in mail lists.
        var mail = Assert.Single(_server.MessagesTo(user.Email));
        Assert.DoesNotMatch(@"\d", mail.Subject);
    }

    [Fact]
    public async Task Password_Correct_IssuesNoSessionUntilTheCodeIsEntered()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);

        var page = await flow.ReachOtpPageAsync(user.Email);

        var html = await page.TextAsync();
        Assert.Contains("autocomplete=\"one-time-code\"", html, StringComparison.Ordinal);
        Assert.Contains("inputmode=\"numeric\"", html, StringComparison.Ordinal);
        Assert.Contains(OtpModel.Mask(user.Email), html, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Email, html, StringComparison.Ordinal);
        Assert.Contains("Send a new code", html, StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        var again = await flow.Browser.GetAsync(flow.AuthorizeUrl());
        Assert.Contains("/account/login", again.Headers.Location!.ToString(), StringComparison.Ordinal);
        var code = Assert.Single(await _server.EmailCodesOfAsync(user.Id));
        Assert.DoesNotContain(_server.LatestCode(user.Email), code.CodeHash, StringComparison.Ordinal);
        Assert.Matches("^1:[A-Za-z0-9_-]{43}$", code.CodeHash); // key id 1, then base64url of the HMAC
    }

    [Fact]
    public async Task EmailCode_NeverAppearsInLogs_WhileAuditLinesDo()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var code = _server.LatestCode(user.Email);

        Assert.DoesNotContain(_server.Logs.Lines, line => line.Contains(code, StringComparison.Ordinal));
        Assert.Contains(_server.Logs.Lines, line => line.Contains("Audit otp.verified success user " + user.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmailCode_Wrong_SaysTriesLeftCountsAndAudits()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);

        var response = await flow.PostOtpAsync(page, WrongCode(user.Email));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That code is not right. 4 tries left.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(await _server.EmailCodesOfAsync(user.Id)).FailedAttempts);
        Assert.Equal(1, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
        var failed = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeFailed));
        Assert.Contains("\"reason\":\"wrong\"", failed.Details, StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task EmailCode_Expired_IsRefusedAndAudited()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        server.Clock.Advance(TimeSpan.FromMinutes(10));

        var response = await flow.PostOtpAsync(page, server.LatestCode(user.Email));

        Assert.Contains("This code has expired. Ask for a new code.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.CodeExpired));
        Assert.Null(Assert.Single(await server.EmailCodesOfAsync(user.Id)).UsedAt);
        Assert.False(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task EmailCode_Reused_IsRefused()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        var cookiesBefore = flow.Cookies.GetAllCookies();
        var code = _server.LatestCode(user.Email);
        Assert.Equal(HttpStatusCode.Redirect, (await flow.PostOtpAsync(page, code)).StatusCode);

        // The same post again, from a browser that still holds the "second factor pending" cookie.
        var replay = new AuthorizationCodeFlow(_server);
        replay.Cookies.Add(cookiesBefore);
        var response = await replay.PostOtpAsync(page, code);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(OtpModel.MissingMessage, await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await replay.IsSignedInAsync());
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInSucceeded));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("")]
    [InlineData("padded")]
    [InlineData("10KB")]
    public async Task EmailCode_Malformed_IsRefusedWithoutCountingAndTheRealCodeStillWorks(string kind)
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        var real = _server.LatestCode(user.Email);
        var input = kind switch
        {
            "padded" => " " + real + " ",
            "10KB" => new string('1', 10 * 1024),
            _ => kind,
        };

        var response = await flow.PostOtpAsync(page, input);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.TextAsync();
        Assert.True(html.Contains("The code is exactly 6 digits", StringComparison.Ordinal) || html.Contains("Enter the 6-digit code.", StringComparison.Ordinal));
        Assert.Equal(0, Assert.Single(await _server.EmailCodesOfAsync(user.Id)).FailedAttempts);
        Assert.Null(await _server.LockoutOfAsync(user.Id));
        Assert.Contains("malformed", Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeFailed)).Details, StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await flow.PostOtpAsync(page, real)).StatusCode);
    }

    [Fact]
    public async Task EmailCode_FromAnotherPendingSignIn_IsWrong()
    {
        var user = await _server.CreateUserAsync();
        var first = new AuthorizationCodeFlow(_server);
        await first.ReachOtpPageAsync(user.Email);
        var firstCode = _server.LatestCode(user.Email);
        // Past the resend interval, so the second password mails a code of its own.
        _server.Clock.Advance(TimeSpan.FromSeconds(61));
        var second = new AuthorizationCodeFlow(_server);
        var page = await second.ReachOtpPageAsync(user.Email);
        Assert.NotEqual(firstCode, _server.LatestCode(user.Email));

        var response = await second.PostOtpAsync(page, firstCode);

        Assert.Contains("That code is not right.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await second.IsSignedInAsync());
        Assert.Equal(1, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
    }

    [Fact]
    public async Task EmailCode_SixthTry_FindsTheCodeDeadEvenWhenRight()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        var wrong = WrongCode(user.Email);
        HttpResponseMessage response = null!;
        for (var i = 0; i < 5; i++)
        {
            response = await flow.PostOtpAsync(page, wrong);
        }
        Assert.Contains("That code is not right, and it no longer works. Ask for a new code.", await response.TextAsync(), StringComparison.Ordinal);

        var sixth = await flow.PostOtpAsync(page, _server.LatestCode(user.Email));

        Assert.Contains("This code was tried too many times and no longer works. Ask for a new code.", await sixth.TextAsync(), StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        Assert.Equal(5, Assert.Single(await _server.EmailCodesOfAsync(user.Id)).FailedAttempts);
        Assert.Equal(6, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
        Assert.Equal(6, (await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeFailed)).Count);
    }

    [Fact]
    public async Task Resend_Burst_IsLimitedTo60SecondsApartAndFiveAnHour()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);

        var tooSoon = await flow.PostOtpAsync(page, "", handler: "Resend");
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Contains("Please wait 60 seconds before asking for another code.", await tooSoon.TextAsync(), StringComparison.Ordinal);
        Assert.Equal("60", tooSoon.Headers.GetValues("Retry-After").Single());

        for (var i = 0; i < 5; i++)
        {
            _server.Clock.Advance(TimeSpan.FromSeconds(61));
            var resent = await flow.PostOtpAsync(page, "", handler: "Resend");
            Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
            Assert.Contains("We sent a new code", await resent.TextAsync(), StringComparison.Ordinal);
        }
        _server.Clock.Advance(TimeSpan.FromSeconds(61));
        var sixth = await flow.PostOtpAsync(page, "", handler: "Resend");

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Contains("You have asked for too many codes.", await sixth.TextAsync(), StringComparison.Ordinal);
        Assert.True(sixth.Headers.Contains("Retry-After"));
        Assert.Equal(6, _server.MessagesTo(user.Email).Count);
        Assert.Equal(6, (await _server.EmailCodesOfAsync(user.Id)).Count);
        Assert.Equal(2, (await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeSent)).Count(e => e.Outcome == AuditOutcomes.Failure));
    }

    [Fact]
    public async Task Resend_NewCode_ReplacesTheOldOne()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        var old = _server.LatestCode(user.Email);
        _server.Clock.Advance(TimeSpan.FromSeconds(61));
        await flow.PostOtpAsync(page, "", handler: "Resend");
        var fresh = _server.LatestCode(user.Email);

        if (old != fresh)
        {
            Assert.Contains("That code is not right.", await (await flow.PostOtpAsync(page, old)).TextAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await flow.PostOtpAsync(page, fresh)).StatusCode);
        Assert.True(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task SecondFactor_TenConsecutiveFailuresAcrossResends_LockTheAccountFor15Minutes()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        for (var round = 0; round < 2; round++)
        {
            var wrong = WrongCode(server, user.Email);
            for (var i = 0; i < 5; i++)
            {
                await flow.PostOtpAsync(page, wrong);
            }
            server.Clock.Advance(TimeSpan.FromSeconds(61));
            await flow.PostOtpAsync(page, "", handler: "Resend");
        }

        var locked = await flow.PostOtpAsync(page, server.LatestCode(user.Email));

        Assert.Contains(OtpModel.LockedMessage, await locked.TextAsync(), StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        var lockEvent = Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.AccountLocked));
        Assert.Contains("second_factor", lockEvent.Details, StringComparison.Ordinal);
        Assert.NotNull((await server.LockoutOfAsync(user.Id))!.SecondFactorLockedUntil);

        server.Clock.Advance(TimeSpan.FromMinutes(15));
        var again = await flow.ReachOtpPageAsync(user.Email);
        var after = await flow.PostOtpAsync(again, server.LatestCode(user.Email));

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.AccountUnlocked));
        Assert.Equal(0, (await server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
    }

    [Fact]
    public async Task EmailCode_OverSmtp_ArrivesAtTheMailServerAndSignsIn()
    {
        await using var smtp = new FakeSmtpServer();
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Email:Delivery"] = "Smtp",
            ["Ruum:Email:SmtpHost"] = "127.0.0.1",
            ["Ruum:Email:SmtpPort"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ruum:Email:SmtpTls"] = "None",
        });
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var page = await flow.ReachOtpPageAsync(user.Email);

        var message = Assert.Single(smtp.Messages);
        Assert.Contains("To: " + user.DisplayName + " <" + user.Email + ">", message, StringComparison.Ordinal);
        var code = System.Text.RegularExpressions.Regex.Match(message, @"sign-in code is (\d{6})").Groups[1].Value;
        Assert.Equal(HttpStatusCode.Redirect, (await flow.PostOtpAsync(page, code)).StatusCode);
        Assert.Empty(server.MessagesTo(user.Email));
    }

    [Fact]
    public async Task EmailCode_MailServerDown_SaysSoAndLetsTheUserRetryWithoutA500()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Email:Delivery"] = "Smtp",
            ["Ruum:Email:SmtpHost"] = "127.0.0.1",
            ["Ruum:Email:SmtpPort"] = "1",
        });
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);

        var page = await flow.ReachOtpPageAsync(user.Email);
        Assert.Contains(OtpModel.NotSentMessage, await page.TextAsync(), StringComparison.Ordinal);
        var resend = await flow.PostOtpAsync(page, "", handler: "Resend");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, resend.StatusCode);
        Assert.Contains(OtpModel.NotSentMessage, await resend.TextAsync(), StringComparison.Ordinal);
        Assert.Empty(await server.EmailCodesOfAsync(user.Id));
        Assert.Equal(2, (await server.AuditOfAsync(user.Id, AuditEventTypes.CodeSent)).Count(e => e.Outcome == AuditOutcomes.Failure));
        Assert.Contains(server.Logs.Lines, line => line.Contains("could not be sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtpForm_PostedWithoutThePasswordStep_IsRefusedClearly()
    {
        var flow = new AuthorizationCodeFlow(_server);
        var login = await flow.Browser.GetAsync("account/login");

        var response = await flow.PostOtpAsync(login, "123456");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(OtpModel.MissingMessage, await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        var get = await flow.Browser.GetAsync("account/otp");
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
    }

    [Fact]
    public async Task OtpForm_WithTamperedPendingCookie_IsRefusedClearly()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        var pending = flow.Cookies.GetAllCookies().Single(c => c.Name == "ruum.second-factor");
        pending.Value = pending.Value[..^2] + (pending.Value[^2] == 'A' ? "B" : "A") + pending.Value[^1];

        var response = await flow.PostOtpAsync(page, _server.LatestCode(user.Email));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(OtpModel.MissingMessage, await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
    }

    private string WrongCode(string email) => WrongCode(_server, email);

    private static string WrongCode(RuumServer server, string email) =>
        ((int.Parse(server.LatestCode(email), System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
