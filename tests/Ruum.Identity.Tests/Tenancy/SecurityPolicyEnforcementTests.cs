using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Recovery;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;
using Ruum.Identity.Tests.Recovery;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>A company's security policy at its members' next sign-in: the strictest of their companies applies.</summary>
public sealed partial class SecurityPolicyEnforcementTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    /// <summary>A member of a company with this policy; with <paramref name="laxCompanyToo"/>, also of one without (the strictest applies).</summary>
    private async Task<User> MemberAsync(bool requireAuthenticator = false, bool forbidTrustedDevices = false, int? maxSessionMinutes = null,
        bool laxCompanyToo = false)
    {
        var strict = await _server.CreateCompanyAsync();
        var user = await _server.CreateCompanyUserAsync(strict, RoleCatalogue.CompanyMember);
        if (laxCompanyToo)
        {
            var lax = await _server.CreateCompanyAsync();
            await _server.WithServicesAsync(s => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<TenancyDirectory>(s).SetCompanyRoleAsync(user.Id, lax, RoleCatalogue.CompanyMember));
        }
        await SetPolicyAsync(strict, requireAuthenticator, forbidTrustedDevices, maxSessionMinutes);
        return user;
    }

    private Task<int> SetPolicyAsync(Guid company, bool requireAuthenticator, bool forbidTrustedDevices, int? maxSessionMinutes) =>
        _server.WithDatabaseAsync(db => db.Set<Company>().Where(c => c.Id == company).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.RequireAuthenticator, requireAuthenticator)
            .SetProperty(c => c.ForbidTrustedDevices, forbidTrustedDevices)
            .SetProperty(c => c.MaxSessionMinutes, maxSessionMinutes)));

    private Task<Guid> StrictCompanyOfAsync(Guid userId) => _server.WithDatabaseAsync(db => db.Set<CompanyMembership>()
        .Where(m => m.UserId == userId).OrderBy(m => m.CompanyId).Select(m => m.CompanyId).ToListAsync())
        .ContinueWith(t => t.Result[0], TaskScheduler.Default);

    [Fact]
    public async Task SignIn_AuthenticatorOnlyPolicyAndOnlyEmailedCodes_NoCodeMailedAndEnrolmentFinishesTheSignIn()
    {
        var user = await MemberAsync(requireAuthenticator: true, laxCompanyToo: true);
        var flow = new AuthorizationCodeFlow(_server) { PassSecondFactorAutomatically = false };

        var page = await flow.PassPasswordAsync(user.Email);

        Assert.True(SecondFactorSignIn.EnrolmentPage == page.RequestMessage!.RequestUri!.AbsolutePath,
            page.RequestMessage.RequestUri + " " + page.StatusCode + " " + await page.Content.ReadAsStringAsync());
        Assert.Empty(_server.MessagesTo(user.Email));
        Assert.False(await flow.IsSignedInAsync());
        // The code page neither takes nor sends an emailed code for this sign-in: it sends the browser back to enrol.
        var otp = await flow.FollowAsync(await flow.Browser.GetAsync("account/otp"));
        Assert.Equal(SecondFactorSignIn.EnrolmentPage, otp.RequestMessage!.RequestUri!.AbsolutePath);

        var html = await page.Content.ReadAsStringAsync();
        var secret = SecretKey().Match(html).Groups[1].Value;
        var wrong = await flow.Browser.PostAsync("account/otp/enrol", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = "000000",
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(html),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.False(await flow.IsSignedInAsync());

        var done = await flow.Browser.PostAsync("account/otp/enrol", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = _server.TotpNow(secret),
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(html),
        }));

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("recovery-codes", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await flow.IsSignedInAsync());
        Assert.True(await _server.WithDatabaseAsync(db => db.Set<Authenticator>().AnyAsync(a => a.UserId == user.Id && a.ConfirmedAt != null)));
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.AuthenticatorEnrolmentRequired));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeSent));
    }

    [Fact]
    public async Task OtpPage_EmailedCodeAfterThePolicyTurnedOn_RefusedAndNotSignedIn()
    {
        var user = await MemberAsync();
        var flow = new AuthorizationCodeFlow(_server) { PassSecondFactorAutomatically = false };
        var page = await flow.ReachOtpPageAsync(user.Email);
        await SetPolicyAsync(await StrictCompanyOfAsync(user.Id), requireAuthenticator: true, forbidTrustedDevices: false, maxSessionMinutes: null);

        var response = await flow.PostOtpAsync(page, _server.LatestCode(user.Email));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("requires an authenticator app", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await flow.IsSignedInAsync());
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInSucceeded));
    }

    [Fact]
    public async Task SignIn_NoTrustedDevicesPolicy_TrustedDeviceCookieIgnoredAndNoOffer()
    {
        var user = await MemberAsync();
        var flow = new AuthorizationCodeFlow(_server) { TrustDevice = true };
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(AdminApiClient.ChromeOnWindows);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        foreach (var cookie in flow.Cookies.GetAllCookies().Where(c => c.Name == "ruum.session"))
        {
            cookie.Expired = true;
        }
        await SetPolicyAsync(await StrictCompanyOfAsync(user.Id), requireAuthenticator: false, forbidTrustedDevices: true, maxSessionMinutes: null);

        var page = await flow.PassPasswordAsync(user.Email);

        Assert.True(AuthorizationCodeFlow.IsOtpPage(page), "The trusted device skipped the code: " + page.RequestMessage!.RequestUri);
        Assert.DoesNotContain("Trust this device", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Even a forged "trust" field remembers nothing.
        var devicesBefore = await _server.WithDatabaseAsync(db => db.Set<Features.TrustedDevices.TrustedDevice>().CountAsync(d => d.UserId == user.Id));
        await flow.FollowAsync(await flow.PostOtpAsync(page, _server.LatestCode(user.Email), trustDevice: true));
        Assert.True(await flow.IsSignedInAsync());
        Assert.Equal(devicesBefore, await _server.WithDatabaseAsync(db => db.Set<Features.TrustedDevices.TrustedDevice>().CountAsync(d => d.UserId == user.Id)));
    }

    [Fact]
    public async Task Session_CompanyLongestSession_EndsAtTheCapBeforeTheServerTimeout()
    {
        var user = await MemberAsync(maxSessionMinutes: 30);
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        _server.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await flow.IsSignedInAsync());
        _server.Clock.Advance(TimeSpan.FromMinutes(15));

        Assert.False(await flow.IsSignedInAsync());
        Assert.Contains("\"ended_by\":\"timeout\"", Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SessionEnded)).Details,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPage_AuthenticatorOnlyPolicyAndOnlyEmailedCodes_RefusesToSendOrAcceptCodes()
    {
        var user = await MemberAsync();
        var browser = _server.CreateBrowserLikeClient();
        await browser.RequestLinkAsync(user.Email);
        var token = await _server.LinkTokenAsync(user.Email);
        await browser.SendResetCodeAsync(token);
        var code = _server.ResetCode(user.Email);
        var mailsBefore = _server.MessagesTo(user.Email).Count;
        await SetPolicyAsync(await StrictCompanyOfAsync(user.Id), requireAuthenticator: true, forbidTrustedDevices: false, maxSessionMinutes: null);
        var hashBefore = await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync());

        var page = await browser.OpenResetAsync(token);
        var form = await browser.GetAsync("account/forgot-password");
        var send = await browser.PostAsync("account/reset-password?handler=SendCode", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await form.Content.ReadAsStringAsync()),
        }));
        var reset = await browser.ResetAsync(token, code);

        Assert.Contains(ResetPasswordModel.PolicyRefusal, System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.DoesNotContain("send-code", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        Assert.Equal(mailsBefore, _server.MessagesTo(user.Email).Count);
        Assert.Equal(hashBefore, await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync()));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.PasswordReset));
    }

    [GeneratedRegex("id=\"secret-key\">([A-Z2-7]+)<")]
    private static partial Regex SecretKey();
}
