using Microsoft.AspNetCore.WebUtilities;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Login;

/// <summary>Lifetimes come from configuration and TimeProvider: the clock is moved, never waited for.</summary>
public sealed class SessionLifetimeTests
{
    private static async Task<string?> SilentAuthorizeErrorAsync(AuthorizationCodeFlow flow)
    {
        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" }));
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        return query.TryGetValue("error", out var error) ? error.ToString() : null;
    }

    [Fact]
    public async Task Session_IdleLongerThanTheIdleTimeout_Ends()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        server.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Null(await SilentAuthorizeErrorAsync(flow));
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal("login_required", await SilentAuthorizeErrorAsync(flow));
    }

    [Fact]
    public async Task Session_ActiveButOlderThanTheAbsoluteTimeout_Ends()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Session:AbsoluteTimeout"] = "03:00:00" });
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(2.5); elapsed += TimeSpan.FromMinutes(40))
        {
            server.Clock.Advance(TimeSpan.FromMinutes(40));
            Assert.Null(await SilentAuthorizeErrorAsync(flow));
        }
        server.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal("login_required", await SilentAuthorizeErrorAsync(flow));
    }

    [Fact]
    public async Task AuthorizationCode_OlderThanItsLifetime_IsRefused()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password);

        server.Clock.Advance(TimeSpan.FromMinutes(6));
        var response = await flow.RedeemAsync(code);

        Assert.Equal("invalid_grant", (await response.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AccessToken_AfterItsLifetime_IsInactive()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Tokens:AccessTokenLifetime"] = "00:02:00" });
        var token = (await server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;
        Assert.True((await server.IntrospectAsync(token)).GetProperty("active").GetBoolean());

        server.Clock.Advance(TimeSpan.FromMinutes(3));

        Assert.False((await server.IntrospectAsync(token)).GetProperty("active").GetBoolean());
    }
}
