using System.Net;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>The API learns new signing keys from JWKS on its own, and keeps validating with cached keys while the server is down.</summary>
public sealed class SigningKeyLifecycleTests
{
    [Fact]
    public async Task Api_ServerRestartedWithANewFirstSigningKey_AcceptsItsTokensWithoutRestart()
    {
        var (oldKey, newKey) = (TenancyFixture.CreateRsaPem(), TenancyFixture.CreateRsaPem());
        var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Signing:Keys:0:Pem"] = oldKey });
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress);
        var oldToken = (await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.OwnerEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await api.Client(oldToken).GetAsync("projects")).StatusCode);

        // The deployment: the new key signs, the old one is still published for the tokens already out there.
        await server.DisposeAsync();
        await using var restarted = RuumServer.Restart(server, new Dictionary<string, string?>
        {
            ["Ruum:Signing:Keys:0:Pem"] = newKey,
            ["Ruum:Signing:Keys:1:Pem"] = oldKey,
        });
        var newToken = (await new AuthorizationCodeFlow(restarted).GetTokensAsync(DevelopmentSeed.OwnerEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;
        Assert.NotEqual(Jwt.Header(oldToken).GetProperty("kid").GetString(), Jwt.Header(newToken).GetProperty("kid").GetString());
        api.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, (await api.Client(newToken).GetAsync("projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(oldToken).GetAsync("projects")).StatusCode);
    }

    [Fact]
    public async Task Api_ServerStopped_KeepsValidatingWithCachedKeys()
    {
        var server = await RuumServer.StartAsync();
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress, o => o.KeyRefreshInterval = TimeSpan.FromMinutes(1));
        var token = (await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.MemberEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);

        await server.DisposeAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);

        // Past the refresh interval: the refresh fails in the background and the cached keys stay in use.
        api.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);
    }

    [Fact]
    public async Task Api_ServerDownBeforeItsFirstRequest_Is401NotAnError()
    {
        var server = await RuumServer.StartAsync();
        var token = (await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.MemberEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;
        await server.DisposeAsync();
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress);

        var response = await api.Client(token).GetAsync("projects");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Api_RealTokenPastItsLifetime_Is401()
    {
        await using var server = await RuumServer.StartAsync();
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress);
        var token = (await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.MemberEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);

        api.Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client(token).GetAsync("projects")).StatusCode);
    }
}
