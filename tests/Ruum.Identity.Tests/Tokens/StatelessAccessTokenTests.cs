using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Tokens;

public sealed class StatelessAccessTokenTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ClientCredentials_Always_IssuesPlainSignedJwtWithoutStoringIt()
    {
        var before = await CountTokenRowsAsync();

        var response = await _server.ClientCredentialsAsync();

        var token = response.GetProperty("access_token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        var jwt = new JsonWebToken(token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.InRange(response.GetProperty("expires_in").GetInt32(), 590, 600);
        Assert.Equal(before, await CountTokenRowsAsync());
    }

    [Fact]
    public async Task CodeFlow_Always_StoresCodeAndRefreshTokenButNotAccessOrIdentityToken()
    {
        var user = await _server.CreateUserAsync();

        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);

        Assert.True(tokens.TryGetProperty("id_token", out _));
        var types = await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == user.Id.ToString()).Select(t => t.Type).ToListAsync());
        Assert.Equal(new HashSet<string?> { TokenTypeIdentifiers.Private.AuthorizationCode, TokenTypeIdentifiers.RefreshToken },
            types.ToHashSet());
    }

    [Fact]
    public async Task Introspection_ValidUserAccessToken_IsActiveUntilItExpires()
    {
        var user = await _server.CreateUserAsync();
        var accessToken = (await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password))
            .GetProperty("access_token").GetString()!;

        var introspection = await _server.IntrospectAsync(accessToken);

        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal(user.Id.ToString(), introspection.GetProperty("sub").GetString());
        _server.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False((await _server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_ValidClientCredentialsToken_IsActive()
    {
        var accessToken = (await _server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;

        var introspection = await _server.IntrospectAsync(accessToken);

        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal("dev-service", introspection.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task Introspection_GarbageToken_IsInactive()
    {
        var introspection = await _server.IntrospectAsync("not-a-token");

        Assert.False(introspection.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_UserTokenIssuedBeforeUserCutoff_IsInactiveWhileLaterTokensAreActive()
    {
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);
        var old = tokens.GetProperty("access_token").GetString()!;

        await _server.WithServicesAsync(s => s.GetRequiredService<AccessTokenCutoffs>().RevokeIssuedToUserAsync(user.Id));
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        var refreshed = await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).JsonAsync();

        Assert.False((await _server.IntrospectAsync(old)).GetProperty("active").GetBoolean());
        Assert.True((await _server.IntrospectAsync(refreshed.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_ClientTokenIssuedBeforeClientCutoff_IsInactive()
    {
        var secret = ServiceClients.NewSecret();
        var clientId = await _server.CreateServiceClientAsync(secret);
        var old = (await _server.ClientCredentialsAsync(clientId, secret)).GetProperty("access_token").GetString()!;

        await _server.WithServicesAsync(s => s.GetRequiredService<AccessTokenCutoffs>().RevokeIssuedToClientAsync(clientId));
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = (await _server.ClientCredentialsAsync(clientId, secret)).GetProperty("access_token").GetString()!;

        Assert.False((await _server.IntrospectAsync(old)).GetProperty("active").GetBoolean());
        Assert.True((await _server.IntrospectAsync(fresh)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_UserTokenBetweenUserCutoffAndLaterClientCutoff_IsInactive()
    {
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);
        await _server.WithServicesAsync(s => s.GetRequiredService<AccessTokenCutoffs>().RevokeIssuedToUserAsync(user.Id));
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        var between = await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).JsonAsync();
        Assert.True((await _server.IntrospectAsync(between.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());

        // The client's cutoff is the later of the two: it decides.
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        await _server.WithServicesAsync(s => s.GetRequiredService<AccessTokenCutoffs>().RevokeIssuedToClientAsync(TestData.SpaClient));
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await (await _server.RefreshAsync(between.GetProperty("refresh_token").GetString()!)).JsonAsync();

        Assert.False((await _server.IntrospectAsync(between.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
        Assert.True((await _server.IntrospectAsync(after.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task RefreshToken_ReusedAfterRotation_IsRefusedAndRevokesTheFamilyAndItsAccessTokens()
    {
        var user = await _server.CreateUserAsync();
        var first = (await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password))
            .GetProperty("refresh_token").GetString()!;

        var rotated = await _server.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var rotatedTokens = await rotated.JsonAsync();
        var second = rotatedTokens.GetProperty("refresh_token").GetString()!;
        var accessToken = rotatedTokens.GetProperty("access_token").GetString()!;
        Assert.NotEqual(first, second);
        Assert.True((await _server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());

        var reuse = await _server.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("invalid_grant", (await reuse.JsonAsync()).GetProperty("error").GetString());
        var afterReuse = await _server.RefreshAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, afterReuse.StatusCode);
        Assert.False((await _server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AuthorizationCode_RedeemedTwice_IsRefusedTheSecondTime()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.OK, (await flow.RedeemAsync(code)).StatusCode);
        var replay = await flow.RedeemAsync(code);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.JsonAsync()).GetProperty("error").GetString());
    }

    private Task<int> CountTokenRowsAsync() =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync());
}
