using System.Net;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Sessions;

/// <summary>What only the server-side row can do: kill a copied cookie everywhere, and time a session out. Own servers.</summary>
public sealed class SessionReplayTests
{
    /// <summary>The session cookie as it was copied from the browser, sent from anywhere.</summary>
    private static async Task<HttpStatusCode> ReplayAsync(RuumServer server, string cookieHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "account/sessions");
        request.Headers.Add("Cookie", cookieHeader);
        using var client = server.CreateBrowserLikeClient();
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task CopiedSessionCookie_ReplayedOnASecondInstanceAfterSignOut_IsRefused()
    {
        await using var first = await RuumServer.StartAsync();
        await using var second = RuumServer.StartSecondInstance(first);
        var user = await first.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(first);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var copied = flow.Cookies.GetCookieHeader(first.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(second, copied));

        await flow.SignOutAsync();

        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(second, copied));
        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(first, copied));
        Assert.Empty(await first.SessionsOfAsync(user.Id));
    }

    [Fact]
    public async Task Session_IdleLongerThanTheIdleTimeout_IsEndedFromItsRow()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        // Seen at 30 minutes, so still alive at 75 (45 idle): the idle time runs from the row's last seen.
        server.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(await flow.IsSignedInAsync());
        server.Clock.Advance(TimeSpan.FromMinutes(45));
        Assert.True(await flow.IsSignedInAsync());
        server.Clock.Advance(TimeSpan.FromMinutes(61));

        Assert.False(await flow.IsSignedInAsync());
        Assert.Empty(await server.SessionsOfAsync(user.Id));
        Assert.Contains("\"ended_by\":\"timeout\"", Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.SessionEnded)).Details,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_ActiveButOlderThanTheAbsoluteTimeout_IsEndedFromItsRow()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Session:AbsoluteTimeout"] = "03:00:00" });
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(2.5); elapsed += TimeSpan.FromMinutes(40))
        {
            server.Clock.Advance(TimeSpan.FromMinutes(40));
            Assert.True(await flow.IsSignedInAsync());
        }
        Assert.Single(await server.SessionsOfAsync(user.Id));
        server.Clock.Advance(TimeSpan.FromMinutes(40));

        Assert.False(await flow.IsSignedInAsync());
        Assert.Empty(await server.SessionsOfAsync(user.Id));
        Assert.Contains("\"ended_by\":\"timeout\"", Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.SessionEnded)).Details,
            StringComparison.Ordinal);
    }
}
