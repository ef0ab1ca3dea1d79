using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Validation;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>
/// The API checks a token's signature once and remembers it; what the cache must never do is keep accepting a token
/// the current keys would refuse. Bad tokens are never remembered (TokenRejectionTests); expiry still applies to a
/// remembered token (SigningKeyLifecycleTests.Api_RealTokenPastItsLifetime_Is401).
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    [Fact]
    public async Task Api_TokenValidatedOnce_IsRememberedForLaterRequests()
    {
        await using var server = await RuumServer.StartAsync();
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress);
        var token = await AccessTokenAsync(server);

        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);
        Assert.True(Cache(api).Remembers(token));
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);
    }

    [Fact]
    public async Task Api_RememberedTokenWhoseKeyIsWithdrawn_Is401OnceTheKeysAreReadAgain()
    {
        var (withdrawnKey, newKey) = (TenancyFixture.CreateRsaPem(), TenancyFixture.CreateRsaPem());
        var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Signing:Keys:0:Pem"] = withdrawnKey });
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress, o => o.KeyRefreshInterval = TimeSpan.FromMinutes(1));
        var token = await AccessTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);
        Assert.True(Cache(api).Remembers(token));

        // A compromised key is withdrawn: the server restarts with a new key only, and JWKS no longer publishes the old one.
        await server.DisposeAsync();
        await using var restarted = RuumServer.Restart(server, new Dictionary<string, string?> { ["Ruum:Signing:Keys:0:Pem"] = newKey });
        api.Clock.Advance(TimeSpan.FromMinutes(2));

        // The first request past the refresh interval reads the keys again in the background; from then on, 401.
        var status = HttpStatusCode.OK;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); status == HttpStatusCode.OK && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            status = (await api.Client(token).GetAsync("projects")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(await AccessTokenAsync(restarted)).GetAsync("projects")).StatusCode);
    }

    [Fact]
    public async Task Api_WithTheCacheSwitchedOff_ValidatesEveryRequest()
    {
        await using var server = await RuumServer.StartAsync();
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress, o => o.ValidatedTokenCacheSize = 0);
        var token = await AccessTokenAsync(server);

        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(token).GetAsync("projects")).StatusCode);
        Assert.False(Cache(api).Remembers(token));
    }

    [Fact]
    public async Task Api_NegativeCacheSize_RefusesToStartWithAClearMessage()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            SampleApiServer.StartAsync(new Uri("http://127.0.0.1:9/"), o => o.ValidatedTokenCacheSize = -1));

        Assert.Contains("ValidatedTokenCacheSize cannot be negative.", error.Failures);
    }

    internal static ValidatedTokenCache Cache(SampleApiServer api) => api.Services.GetRequiredService<ValidatedTokenCache>();

    private static async Task<string> AccessTokenAsync(RuumServer server) =>
        (await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.OwnerEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;
}
