using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Lockout;

public sealed class RateLimitTests
{
    private static readonly Dictionary<string, string?> ThreeLoginsPerHour = new()
    {
        ["Ruum:Lockout:LoginRequestsPerWindow"] = "3",
        ["Ruum:Lockout:RateLimitWindow"] = "01:00:00",
        // Requests come through a proxy on loopback that names the client, as in production.
        ["Ruum:Proxy:KnownProxies:0"] = "127.0.0.1",
    };

    [Fact]
    public async Task LoginPosts_OverTheLimitPerIp_Get429WithRetryAfter()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Lockout:LoginRequestsPerWindow"] = "3",
            ["Ruum:Lockout:RateLimitWindow"] = "01:00:00",
        });
        var flow = new AuthorizationCodeFlow(server);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await flow.SignInAsync(TestData.UniqueEmail(), "whatever-password")).StatusCode);
        }

        var limited = await flow.SignInAsync(TestData.UniqueEmail(), "whatever-password");
        var limitedAgain = await flow.SignInAsync(TestData.UniqueEmail(), "whatever-password");

        AssertLimited(limited);
        AssertLimited(limitedAgain);
        Assert.Equal(HttpStatusCode.OK, (await flow.Browser.GetAsync("account/login")).StatusCode);
        // Audited once for the IP and minute, with the count, not once per refused request.
        await server.FlushRefusalCountsAsync();
        var refused = Assert.Single(await server.AuditOfAsync(null, AuditEventTypes.RateLimited));
        Assert.Equal("127.0.0.1", refused.IpAddress);
        Assert.Contains("\"count\":2", refused.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("account/login/")]
    [InlineData("Account/Login")]
    [InlineData("account/login?x=1")]
    [InlineData("account/password/")]
    public async Task PasswordPosts_OverTheLimitUnderAnotherSpellingOfThePath_Get429(string path)
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Lockout:LoginRequestsPerWindow"] = "3",
            ["Ruum:Lockout:RateLimitWindow"] = "01:00:00",
        });
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var used = 0;
        if (path.StartsWith("account/password", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await flow.SignInAsync(user.Email, TestData.Password)).StatusCode);
            used = 1;
        }
        for (var i = used; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PostPasswordAsync(flow, path, user.Email)).StatusCode);
        }

        var before = await FailedPasswordsAsync(server, user.Id);

        var limited = await PostPasswordAsync(flow, path, user.Email);

        AssertLimited(limited);
        // The refused post was never judged: it is not a wrong password on the account.
        Assert.Equal(before, await FailedPasswordsAsync(server, user.Id));
    }

    private static Task<int> FailedPasswordsAsync(RuumServer server, Guid userId) =>
        server.WithDatabaseAsync(async db =>
            (await db.Set<AccountLockout>().SingleOrDefaultAsync(l => l.UserId == userId))?.FailedPasswords ?? 0);

    [Fact]
    public async Task LoginPosts_SpreadOverOneIpv6Slash64_AreLimitedLikeOneAddress()
    {
        await using var server = await RuumServer.StartAsync(ThreeLoginsPerHour);
        var flow = new AuthorizationCodeFlow(server);
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 25; i++)
        {
            statuses.Add((await SignInFromAsync(flow, $"2001:db8:7:1:{i:x}:{i * 7:x}::{i:x}")).StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(22, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // Another /64, and an IPv4 client, have budgets of their own.
        Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(flow, "2001:db8:7:2::1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(flow, "203.0.113.40")).StatusCode);
    }

    [Fact]
    public async Task LoginPosts_FromIpv4MappedIpv6_CountAsTheIpv4Address()
    {
        await using var server = await RuumServer.StartAsync(ThreeLoginsPerHour);
        var flow = new AuthorizationCodeFlow(server);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(flow, "203.0.113.41")).StatusCode);
        }

        AssertLimited(await SignInFromAsync(flow, "::ffff:203.0.113.41"));
    }

    [Fact]
    public async Task LoginPosts_SpreadOverTwoInstances_ShareOneBudget()
    {
        await using var first = await RuumServer.StartAsync(ThreeLoginsPerHour);
        await using var second = RuumServer.StartSecondInstance(first);
        var onFirst = new AuthorizationCodeFlow(first);
        var onSecond = new AuthorizationCodeFlow(second);

        Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(onFirst, "203.0.113.42")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(onSecond, "203.0.113.42")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInFromAsync(onFirst, "203.0.113.42")).StatusCode);

        AssertLimited(await SignInFromAsync(onSecond, "203.0.113.42"));
        AssertLimited(await SignInFromAsync(onFirst, "203.0.113.42"));
    }

    [Fact]
    public async Task LoginPosts_OverTheLimitOnSqlite_Get429()
    {
        await using var server = RuumServer.StartOnSqlite(ThreeLoginsPerHour);
        var flow = new AuthorizationCodeFlow(server);
        for (var i = 0; i < 3; i++)
        {
            AssertOk(await SignInFromAsync(flow, "2001:db8:9:9::" + (i + 1)));
        }

        AssertLimited(await SignInFromAsync(flow, "2001:db8:9:9::ff"));
    }

    [Fact]
    public async Task CodePosts_OverTheLimitPerIp_Get429WithRetryAfter()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Lockout:CodeRequestsPerWindow"] = "2",
            ["Ruum:Lockout:RateLimitWindow"] = "01:00:00",
        });
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var page = await flow.ReachOtpPageAsync(user.Email);
        await flow.PostOtpAsync(page, "000000");
        await flow.PostOtpAsync(page, "000000", handler: "Resend");

        var limited = await flow.PostOtpAsync(page, server.LatestCode(user.Email));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.False(await flow.IsSignedInAsync());
        var recovery = await flow.Browser.PostAsync("account/otp/recovery/", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.TooManyRequests, recovery.StatusCode);
    }

    [Fact]
    public async Task ExpiredWindows_AreSwept()
    {
        await using var server = await RuumServer.StartAsync(ThreeLoginsPerHour);
        var flow = new AuthorizationCodeFlow(server);
        await SignInFromAsync(flow, "203.0.113.43");
        Assert.Equal(1, await server.WithDatabaseAsync(db => db.Set<RateLimitWindow>().CountAsync()));

        server.Clock.Advance(TimeSpan.FromHours(1));
        await server.WithServicesAsync(async services =>
        {
            using var scope = services.CreateScope();
            foreach (var sweep in scope.ServiceProvider.GetServices<IRetentionSweep>())
            {
                await sweep.DeleteExpiredAsync(CancellationToken.None);
            }
        });

        Assert.Equal(0, await server.WithDatabaseAsync(db => db.Set<RateLimitWindow>().CountAsync()));
        AssertOk(await SignInFromAsync(flow, "203.0.113.43"));
    }

    private static void AssertOk(HttpResponseMessage response) => Assert.Equal(HttpStatusCode.OK, response.StatusCode);

    private static void AssertLimited(HttpResponseMessage limited)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
    }

    private static async Task<HttpResponseMessage> SignInFromAsync(AuthorizationCodeFlow flow, string clientAddress)
    {
        flow.Browser.DefaultRequestHeaders.Remove("X-Forwarded-For");
        flow.Browser.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return await flow.SignInAsync(TestData.UniqueEmail(), "whatever-password");
    }

    /// <summary>The page's form at <paramref name="path"/>, posted back to the same spelling with a wrong password.</summary>
    private static async Task<HttpResponseMessage> PostPasswordAsync(AuthorizationCodeFlow flow, string path, string email)
    {
        var page = await flow.Browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var form = path.StartsWith("account/password", StringComparison.Ordinal)
            ? new Dictionary<string, string>
            {
                ["Input.CurrentPassword"] = "wrong-password",
                ["Input.NewPassword"] = "a-new-password-long-enough",
                ["Input.ConfirmPassword"] = "a-new-password-long-enough",
                ["__RequestVerificationToken"] = token,
            }
            : new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = "wrong-password",
                ["__RequestVerificationToken"] = token,
            };
        return await flow.Browser.PostAsync(path, new FormUrlEncodedContent(form));
    }
}
