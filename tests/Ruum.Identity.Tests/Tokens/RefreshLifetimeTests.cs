using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>RFC 9700 §4.14, ASVS V10.4.8: a refresh-token family ends a fixed time after the sign-in that began it.</summary>
public sealed class RefreshLifetimeTests
{
    [Fact]
    public async Task Refresh_DailyForFifteenDays_FailsFromDayFourteenAndChangesNothing()
    {
        // A server of its own: the clock moves past the 14-day refresh-token lifetime.
        // Pruning (after 14 days by default) would delete the spent rows this test checks are unchanged.
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Pruning:After"] = "30.00:00:00" });
        var user = await server.CreateUserAsync();
        var refreshToken = (await new AuthorizationCodeFlow(server).GetTokensAsync(user.Email, TestData.Password))
            .GetProperty("refresh_token").GetString()!;

        for (var day = 1; day <= 13; day++)
        {
            server.Clock.Advance(TimeSpan.FromDays(1));
            var response = await server.RefreshAsync(refreshToken);
            var json = await response.JsonAsync();
            Assert.True(response.IsSuccessStatusCode, $"day {day}: {json}");
            refreshToken = json.GetProperty("refresh_token").GetString()!;
        }
        var before = await TokenStatusesAsync(server, user);

        for (var day = 14; day <= 15; day++)
        {
            server.Clock.Advance(TimeSpan.FromDays(1));
            var response = await server.RefreshAsync(refreshToken);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_grant", (await response.JsonAsync()).GetProperty("error").GetString());
            Assert.Equal(before, await TokenStatusesAsync(server, user));
        }
    }

    [Fact]
    public async Task CodeExchange_FromAnHourOldSession_RefreshFamilyEndsFourteenDaysAfterTheSignIn()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        var signedInAt = server.Clock.GetUtcNow();

        // Later, the same browser session gets a new code silently and starts a new family with it.
        server.Clock.Advance(TimeSpan.FromMinutes(50));
        var code = flow.CodeFrom(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" })));
        Assert.True((await flow.RedeemAsync(code)).IsSuccessStatusCode);

        var expiry = await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == user.Id.ToString() && t.Type == TokenTypeIdentifiers.RefreshToken).Select(t => t.ExpirationDate).SingleAsync());
        Assert.Equal(signedInAt.UtcDateTime.AddDays(14), expiry!.Value, TimeSpan.FromSeconds(2));
    }

    private static async Task<List<string>> TokenStatusesAsync(RuumServer server, User user) =>
        (await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == user.Id.ToString())
            .OrderBy(t => t.Id).Select(t => new { t.Type, t.Status, t.ExpirationDate }).ToListAsync()))
            .ConvertAll(t => $"{t.Type}:{t.Status}:{t.ExpirationDate:O}");
}
