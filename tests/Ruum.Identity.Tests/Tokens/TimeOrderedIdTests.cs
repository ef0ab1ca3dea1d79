using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

public sealed class TimeOrderedIdTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task CodeFlowAndRefresh_Always_StoreTokensAndAuthorizationUnderVersion7Ids()
    {
        var user = await _server.CreateUserAsync();
        var subject = user.Id.ToString();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);
        using var refreshed = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        refreshed.EnsureSuccessStatusCode();

        var tokenIds = await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == subject).Select(t => t.Id!).ToListAsync());
        var authorizationIds = await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreAuthorization>()
            .Where(a => a.Subject == subject).Select(a => a.Id!).ToListAsync());

        Assert.Equal(3, tokenIds.Count); // the code, the first refresh token and its successor
        Assert.Single(authorizationIds);
        Assert.All(tokenIds.Concat(authorizationIds), id => Assert.Equal(7, Guid.Parse(id).Version));
    }
}
