using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.TrustedDevices;

public sealed class TrustedDeviceTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string FirefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task TrustedDevice_SecondSignIn_SkipsTheCodeAndSaysPwdOnly()
    {
        var user = await _server.CreateUserAsync();
        var flow = await TrustThisBrowserAsync(user);
        var mails = _server.MessagesTo(user.Email).Count;

        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);

        Assert.Equal(mails, _server.MessagesTo(user.Email).Count);
        foreach (var name in new[] { "id_token", "access_token" })
        {
            Assert.Equal(["pwd"], SecondStep.Amr(SecondStep.JwtPayload(tokens.GetProperty(name).GetString()!)));
        }
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.DeviceUsed));
    }

    [Fact]
    public async Task TrustedDevice_IsStoredOnlyAsHashesWithALabel()
    {
        var user = await _server.CreateUserAsync();
        var flow = await TrustThisBrowserAsync(user);
        var cookie = DeviceCookie(flow);

        var device = Assert.Single(await DevicesOfAsync(user.Id));

        Assert.Equal("Chrome on Windows", device.Label);
        Assert.NotEqual(cookie.Value, device.TokenHash);
        Assert.DoesNotContain(cookie.Value, device.TokenHash, StringComparison.Ordinal);
        Assert.DoesNotContain("Chrome", device.FingerprintHash, StringComparison.Ordinal);
        Assert.Equal(_server.Clock.GetUtcNow().AddDays(30), device.ExpiresAt, TimeSpan.FromMilliseconds(1));
        Assert.True(cookie.HttpOnly);
        Assert.Equal(43, cookie.Value.Length);
    }

    [Fact]
    public async Task DeviceCookie_CopiedToAnotherUsersSignIn_AsksForTheCode()
    {
        var owner = await _server.CreateUserAsync();
        var other = await _server.CreateUserAsync();
        var stolen = DeviceCookie(await TrustThisBrowserAsync(owner));
        var flow = Browser();
        flow.Cookies.Add(stolen);

        await flow.ReachOtpPageAsync(other.Email);

        AssertRejected(await _server.AuditOfAsync(other.Id, AuditEventTypes.DeviceRejected), "other_user");
    }

    [Fact]
    public async Task DeviceCookie_AlteredByOneCharacter_AsksForTheCode()
    {
        var user = await _server.CreateUserAsync();
        var flow = await TrustThisBrowserAsync(user);
        var cookie = DeviceCookie(flow);
        cookie.Value = cookie.Value[..^1] + (cookie.Value[^1] == 'A' ? 'B' : 'A');

        await flow.ReachOtpPageAsync(user.Email);

        AssertRejected(await _server.AuditOfAsync(user.Id, AuditEventTypes.DeviceRejected), "unknown_token");
    }

    [Fact]
    public async Task DeviceCookie_Expired_AsksForTheCode()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = await TrustThisBrowserAsync(user, server);
        var cookie = DeviceCookie(flow);
        server.Clock.Advance(TimeSpan.FromDays(30));
        // The browser would drop it; a copied or replayed cookie does not expire by itself.
        flow.Cookies.Add(new Cookie(cookie.Name, cookie.Value, "/", cookie.Domain));

        await flow.ReachOtpPageAsync(user.Email);

        AssertRejected(await server.AuditOfAsync(user.Id, AuditEventTypes.DeviceRejected), "expired");
    }

    [Fact]
    public async Task DeviceCookie_FromAnotherBrowserFamily_AsksForTheCode()
    {
        var user = await _server.CreateUserAsync();
        var flow = await TrustThisBrowserAsync(user);
        flow.Browser.DefaultRequestHeaders.UserAgent.Clear();
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(FirefoxOnWindows);

        await flow.ReachOtpPageAsync(user.Email);

        AssertRejected(await _server.AuditOfAsync(user.Id, AuditEventTypes.DeviceRejected), "fingerprint_mismatch");
    }

    [Fact]
    public async Task DevicesPage_RevokeOne_MakesThatDeviceAskForTheCodeAgain()
    {
        var user = await _server.CreateUserAsync();
        var flow = await TrustThisBrowserAsync(user);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/devices");
        var html = await page.TextAsync();
        Assert.Contains("Chrome on Windows", html, StringComparison.Ordinal);
        Assert.Contains("(this device)", html, StringComparison.Ordinal);
        var device = Assert.Single(await DevicesOfAsync(user.Id));

        var revoked = await PostDevicesAsync(flow, page, "Revoke", device.Id.ToString());

        Assert.Contains("The device was removed.", await revoked.TextAsync(), StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(await DevicesOfAsync(user.Id)).RevokedAt);
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.DeviceRevoked));
        await flow.SignOutAsync();
        await flow.ReachOtpPageAsync(user.Email);
        AssertRejected(await _server.AuditOfAsync(user.Id, AuditEventTypes.DeviceRejected), "revoked");
    }

    [Fact]
    public async Task DevicesPage_AnotherUsersDevice_CannotBeRevoked()
    {
        var owner = await _server.CreateUserAsync();
        await TrustThisBrowserAsync(owner);
        var victimDevice = Assert.Single(await DevicesOfAsync(owner.Id));
        var attacker = await _server.CreateUserAsync();
        var flow = Browser();
        await flow.GetCodeAsync(attacker.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/devices");

        var response = await PostDevicesAsync(flow, page, "Revoke", victimDevice.Id.ToString());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(Assert.Single(await DevicesOfAsync(owner.Id)).RevokedAt);
    }

    [Fact]
    public async Task DevicesPage_RevokeAll_RevokesEveryDevice()
    {
        var user = await _server.CreateUserAsync();
        await TrustThisBrowserAsync(user);
        var flow = await TrustThisBrowserAsync(user);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var page = await flow.Browser.GetAsync("account/devices");

        var response = await PostDevicesAsync(flow, page, "RevokeAll", null);

        Assert.Contains("2 devices were removed.", await response.TextAsync(), StringComparison.Ordinal);
        Assert.All(await DevicesOfAsync(user.Id), d => Assert.NotNull(d.RevokedAt));
    }

    [Fact]
    public async Task DevicesPage_WithoutSession_RedirectsToSignIn()
    {
        var response = await Browser().Browser.GetAsync("account/devices");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrustedDeviceLifetime_Over90Days_StopsTheServerFromStarting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:TrustedDevices:Lifetime"] = "91.00:00:00" }));

        Assert.Contains("Ruum:TrustedDevices:Lifetime", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_TrustedDeviceLockoutAndAudit_Work()
    {
        await using var server = RuumServer.StartOnSqlite();
        var user = await server.CreateUserAsync();
        var flow = await TrustThisBrowserAsync(user, server);
        server.Clock.Advance(TimeSpan.FromSeconds(61));

        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);

        Assert.Equal(["pwd"], SecondStep.Amr(SecondStep.JwtPayload(tokens.GetProperty("id_token").GetString()!)));
        // From another browser: the trusted device's own wrong passwords count on the device, not on the account.
        var stranger = Browser(server);
        stranger.PassSecondFactorAutomatically = false;
        for (var i = 0; i < 5; i++)
        {
            await stranger.SignInAsync(user.Email, "Wrong-Password-" + i);
            server.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.NotNull((await server.LockoutOfAsync(user.Id))!.PasswordLockedUntil);
        Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.AccountLocked));
    }

    [Fact]
    public void Fingerprint_StableTraits_MakeReadableLabels()
    {
        Assert.Equal("Chrome on Windows", DeviceFingerprint.From(ChromeOnWindows).Label);
        Assert.Equal("Firefox on Windows", DeviceFingerprint.From(FirefoxOnWindows).Label);
        Assert.Equal("Safari on iOS", DeviceFingerprint.From("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1").Label);
        Assert.Equal("Edge on macOS", DeviceFingerprint.From("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0").Label);
        Assert.Equal("Chrome on Linux", DeviceFingerprint.From("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36").Label);
        Assert.Equal("Unknown browser on unknown platform", DeviceFingerprint.From(null).Label);
        Assert.Equal(DeviceFingerprint.From(ChromeOnWindows), DeviceFingerprint.From(ChromeOnWindows.Replace("131", "132", StringComparison.Ordinal)));
    }

    private AuthorizationCodeFlow Browser(RuumServer? server = null)
    {
        var flow = new AuthorizationCodeFlow(server ?? _server);
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(ChromeOnWindows);
        return flow;
    }

    /// <summary>Signs in with the emailed code and "Trust this device" ticked, then signs out (the device cookie stays).</summary>
    private async Task<AuthorizationCodeFlow> TrustThisBrowserAsync(User user, RuumServer? server = null)
    {
        var flow = Browser(server);
        flow.TrustDevice = true;
        await flow.GetCodeAsync(user.Email, TestData.Password);
        flow.TrustDevice = false;
        foreach (var cookie in flow.Cookies.GetAllCookies().Where(c => c.Name == "ruum.session"))
        {
            cookie.Expired = true;
        }
        Assert.NotNull(DeviceCookie(flow));
        return flow;
    }

    private static Cookie DeviceCookie(AuthorizationCodeFlow flow) => flow.Cookies.GetAllCookies().Single(c => c.Name == "ruum.device");

    private static void AssertRejected(List<AuditEvent> rejections, string reason) =>
        Assert.Contains($"\"reason\":\"{reason}\"", Assert.Single(rejections).Details, StringComparison.Ordinal);

    private async Task<List<TrustedDevice>> DevicesOfAsync(Guid userId) =>
        await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().AsNoTracking().Where(d => d.UserId == userId).ToListAsync());

    private static async Task<HttpResponseMessage> PostDevicesAsync(AuthorizationCodeFlow flow, HttpResponseMessage page, string handler, string? id)
    {
        // The logout page always has a form; a devices page without devices has none.
        var html = await page.Content.ReadAsStringAsync();
        if (!html.Contains("__RequestVerificationToken", StringComparison.Ordinal))
        {
            html = await (await flow.Browser.GetAsync("account/logout")).Content.ReadAsStringAsync();
        }
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(html),
        };
        if (id is not null)
        {
            form["id"] = id;
        }
        return await flow.Browser.PostAsync("account/devices?handler=" + handler, new FormUrlEncodedContent(form));
    }
}
