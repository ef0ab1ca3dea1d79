using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Tokens;

public sealed class RefreshAndRevocationTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<(Features.Users.User User, System.Text.Json.JsonElement Tokens)> SignedInAsync()
    {
        var user = await _server.CreateUserAsync();
        return (user, await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password));
    }

    [Fact]
    public async Task Refresh_Used_ReturnsNewRefreshTokenEachTime()
    {
        var (_, tokens) = await SignedInAsync();
        var first = tokens.GetProperty("refresh_token").GetString()!;

        var rotated = await (await _server.RefreshAsync(first)).JsonAsync();
        var second = rotated.GetProperty("refresh_token").GetString()!;
        var again = await (await _server.RefreshAsync(second)).JsonAsync();

        Assert.NotEqual(first, second);
        Assert.NotEqual(second, again.GetProperty("refresh_token").GetString());
        Assert.NotEmpty(again.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task Refresh_SpentTokenReused_FailsRevokesTheWholeFamilyAndIsAudited()
    {
        var (user, tokens) = await SignedInAsync();
        var spent = tokens.GetProperty("refresh_token").GetString()!;
        var current = (await (await _server.RefreshAsync(spent)).JsonAsync()).GetProperty("refresh_token").GetString()!;

        var reuse = await _server.RefreshAsync(spent);

        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("invalid_grant", (await reuse.JsonAsync()).GetProperty("error").GetString());
        var successor = await _server.RefreshAsync(current);
        Assert.Equal("invalid_grant", (await successor.JsonAsync()).GetProperty("error").GetString());
        var reused = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.TokenReused));
        Assert.Equal(AuditOutcomes.Failure, reused.Outcome);
        Assert.Equal(TestData.SpaClient, reused.ClientId);
        Assert.Contains("\"token_type\":\"urn:ietf:params:oauth:token-type:refresh_token\"", reused.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(spent, reused.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpentRefreshToken_PresentedAtIntrospectionAndRevocation_IsInactiveAndEndsNothing()
    {
        var (user, tokens) = await SignedInAsync();
        var spent = tokens.GetProperty("refresh_token").GetString()!;
        var current = (await (await _server.RefreshAsync(spent)).JsonAsync()).GetProperty("refresh_token").GetString()!;
        var before = await TokenStatusesAsync(_server, user);

        var introspection = await _server.IntrospectAsync(spent);
        var revocation = await _server.CreatePlainClient().PostFormAsync("connect/revoke", new Dictionary<string, string>
        {
            ["client_id"] = TestData.SpaClient,
            ["token"] = spent,
            ["token_type_hint"] = "refresh_token",
        });

        Assert.False(introspection.GetProperty("active").GetBoolean());
        Assert.True(revocation.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, revocation.StatusCode.ToString());
        Assert.Equal(before, await TokenStatusesAsync(_server, user));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.TokenReused));
        var successor = await _server.RefreshAsync(current);
        Assert.Equal(HttpStatusCode.OK, successor.StatusCode);
    }

    [Fact]
    public async Task Refresh_SameTokenSentAtOnce_SucceedsAtMostOnceAndRevokesTheFamily()
    {
        var (user, tokens) = await SignedInAsync();
        var token = tokens.GetProperty("refresh_token").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _server.RefreshAsync(token)));

        var granted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.True(granted.Count <= 1, $"{granted.Count} requests spent the same refresh token");
        foreach (var refused in responses.Except(granted))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("invalid_grant", (await refused.JsonAsync()).GetProperty("error").GetString());
        }
        // The others were reuses: the family is revoked, the winner's new refresh token with it.
        foreach (var winner in granted)
        {
            var successor = await _server.RefreshAsync((await winner.JsonAsync()).GetProperty("refresh_token").GetString()!);
            Assert.Equal("invalid_grant", (await successor.JsonAsync()).GetProperty("error").GetString());
        }
        Assert.NotEmpty(await _server.AuditOfAsync(user.Id, AuditEventTypes.TokenReused));
    }

    [Fact]
    public async Task Refresh_Expired_FailsWithInvalidGrantAndChangesNothing()
    {
        // A server of its own: the clock moves past the 14-day refresh-token lifetime.
        // Pruning (after 14 days by default) would delete the spent rows this test checks are unchanged.
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Pruning:After"] = "30.00:00:00" });
        var user = await server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(server).GetTokensAsync(user.Email, TestData.Password);
        var before = await TokenStatusesAsync(server, user);
        server.Clock.Advance(TimeSpan.FromDays(15));

        var response = await server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(before, await TokenStatusesAsync(server, user));
    }

    private static Task<List<string>> TokenStatusesAsync(RuumServer server, User user) =>
        server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == user.Id.ToString())
            .OrderBy(t => t.Id).Select(t => t.Type + ":" + t.Status).ToListAsync());

    [Fact]
    public async Task Refresh_UserDisabled_Fails()
    {
        var (user, tokens) = await SignedInAsync();
        await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.IsEnabled, false)));

        var response = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal("invalid_grant", (await response.JsonAsync()).GetProperty("error").GetString());
        var refused = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.TokenRefused));
        Assert.Equal(TestData.SpaClient, refused.ClientId);
        Assert.Contains("\"user_disabled\"", refused.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_AfterSecurityStampChange_Fails()
    {
        var (user, tokens) = await SignedInAsync();
        await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, "rotated")));

        var response = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal("invalid_grant", (await response.JsonAsync()).GetProperty("error").GetString());
        var refused = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.TokenRefused));
        Assert.Equal(TestData.SpaClient, refused.ClientId);
        Assert.Contains("\"credentials_changed\"", refused.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revocation_RefreshToken_CannotBeUsedAfterwards()
    {
        var (user, tokens) = await SignedInAsync();
        var refresh = tokens.GetProperty("refresh_token").GetString()!;

        var revoke = await _server.CreatePlainClient().PostFormAsync("connect/revoke", new Dictionary<string, string>
        {
            ["client_id"] = TestData.SpaClient,
            ["token"] = refresh,
            ["token_type_hint"] = "refresh_token",
        });

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("invalid_grant", (await (await _server.RefreshAsync(refresh)).JsonAsync()).GetProperty("error").GetString());
        var revoked = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.TokenRevoked));
        Assert.Equal(TestData.SpaClient, revoked.ClientId);
        Assert.Contains("refresh_token", revoked.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Introspection_ValidAccessToken_IsActiveWithItsClaims()
    {
        var (user, tokens) = await SignedInAsync();

        var result = await _server.IntrospectAsync(tokens.GetProperty("access_token").GetString()!);

        Assert.True(result.GetProperty("active").GetBoolean(), result.ToString());
        Assert.Equal(user.Id.ToString(), result.GetProperty("sub").GetString());
        Assert.Equal(TestData.SpaClient, result.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task Introspection_ClientCredentialsToken_IsActive()
    {
        var token = (await _server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;

        var result = await _server.IntrospectAsync(token);

        Assert.True(result.GetProperty("active").GetBoolean(), result.ToString());
        Assert.Equal("dev-service", result.GetProperty("sub").GetString());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task Introspection_GarbageToken_IsInactive(string token)
    {
        var result = await _server.IntrospectAsync(token);
        Assert.False(result.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_WrongResourceServerSecret_Returns401()
    {
        var response = await _server.CreatePlainClient().PostFormAsync("connect/introspect",
            new Dictionary<string, string> { ["token"] = "x" }, ("ruum-api", "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.JsonAsync()).GetProperty("error").GetString());
    }
}
