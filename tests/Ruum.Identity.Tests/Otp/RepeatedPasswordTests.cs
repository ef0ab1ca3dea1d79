using System.Net;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Otp;

/// <summary>A right password mails a new code only within the resend limits; otherwise the code already mailed stands.</summary>
public sealed class RepeatedPasswordTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task RightPassword_RepeatedWhileACodeIsLive_MailsNoMoreThanTheResendLimitsAllow()
    {
        var user = await _server.CreateUserAsync();
        for (var i = 0; i < 3; i++)
        {
            await new AuthorizationCodeFlow(_server).ReachOtpPageAsync(user.Email);
        }
        Assert.Single(_server.MessagesTo(user.Email));

        // 60 s apart, each password is a resend: five an hour, then none.
        for (var i = 0; i < 8; i++)
        {
            _server.Clock.Advance(TimeSpan.FromSeconds(61));
            await new AuthorizationCodeFlow(_server).ReachOtpPageAsync(user.Email);
        }

        Assert.Equal(1 + 5, _server.MessagesTo(user.Email).Count);
        Assert.Equal(6, (await _server.EmailCodesOfAsync(user.Id)).Count);
        Assert.Contains(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeSent),
            e => e.Outcome == AuditOutcomes.Failure && e.Details!.Contains("earlier_code_valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RightPassword_WithinTheResendInterval_SaysTheEarlierCodeStandsAndItSignsIn()
    {
        var user = await _server.CreateUserAsync();
        var first = new AuthorizationCodeFlow(_server);
        await first.ReachOtpPageAsync(user.Email);
        var code = _server.LatestCode(user.Email);
        _server.Clock.Advance(TimeSpan.FromSeconds(10));
        var second = new AuthorizationCodeFlow(_server);

        var page = await second.ReachOtpPageAsync(user.Email);

        Assert.Contains(OtpModel.EarlierCodeMessage, await page.TextAsync(), StringComparison.Ordinal);
        Assert.Single(_server.MessagesTo(user.Email));
        // The code finishes this sign-in, with this request's own return URL (its client gets the code).
        var redirect = await second.FollowAsync(await second.PostOtpAsync(page, code));
        var tokens = await second.RedeemAsync(second.CodeFrom(redirect));
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        // Single use: the first browser's sign-in cannot finish with it any more.
        var reused = await first.PostOtpAsync(await first.Browser.GetAsync("account/otp"), code);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.False(await first.IsSignedInAsync());
    }
}
