using System.Net;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Lockout;

public sealed class RateLimitTests
{
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

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedAgain.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal(HttpStatusCode.OK, (await flow.Browser.GetAsync("account/login")).StatusCode);
        // Audited once for the IP and minute, with the count, not once per refused request.
        await server.FlushRefusalCountsAsync();
        var refused = Assert.Single(await server.AuditOfAsync(null, AuditEventTypes.RateLimited));
        Assert.Equal("127.0.0.1", refused.IpAddress);
        Assert.Contains("\"count\":2", refused.Details, StringComparison.Ordinal);
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
        var recovery = await flow.Browser.PostAsync("account/otp/recovery", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.TooManyRequests, recovery.StatusCode);
    }
}
