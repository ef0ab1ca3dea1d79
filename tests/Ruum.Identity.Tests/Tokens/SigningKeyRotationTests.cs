using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>The database's signing key set (no key configured): shared by instances, rotated by itself and on demand.</summary>
public sealed class SigningKeyRotationTests
{
    private static readonly Dictionary<string, string?> DatabaseKeys = new() { ["Ruum:Signing:Keys:0:Pem"] = null };

    [Fact]
    public async Task TwoInstances_OnOneDatabaseWithoutConfiguredKeys_PublishTheSameJwksAndTrustEachOthersTokens()
    {
        await using var first = await RuumServer.StartAsync(DatabaseKeys);
        // Its own key folder, as on another machine: a key of its own would land there.
        await using var second = RuumServer.StartOn(first.ConnectionString, new Dictionary<string, string?>(DatabaseKeys)
        {
            ["Ruum:Signing:EncryptionKey"] = null,
            ["Ruum:Signing:DevelopmentKeyFolder"] = Path.Combine(Path.GetTempPath(), "ruum-keys-" + Guid.NewGuid().ToString("N")),
        });

        var jwks = await Task.WhenAll(KidsAsync(first), KidsAsync(second));

        Assert.Single(jwks[0]);
        Assert.Equal(jwks[0], jwks[1]);
        var token = (await first.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;
        Assert.Equal(jwks[0][0], Kid(token));
        Assert.Equal(1, await first.WithDatabaseAsync(db => db.Set<SigningKey>().CountAsync()));
    }

    [Fact]
    public async Task Rotate_PublishesTheNextKeyFirst_SignsWithItAfterTheDelay_AndDropsTheOldOneOnceItsTokensExpired()
    {
        await using var server = await RuumServer.StartAsync(DatabaseKeys);
        var oldKid = Kid(await AccessTokenAsync(server));

        var output = await RunAsync(server, "keys", "rotate");

        var published = await KidsAsync(server);
        Assert.Equal(2, published.Length);
        var newKid = Assert.Single(published, kid => kid != oldKid);
        Assert.Contains($"Key {newKid} is published now", output, StringComparison.Ordinal);
        Assert.Equal(oldKid, Kid(await AccessTokenAsync(server)));

        server.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(oldKid, Kid(await AccessTokenAsync(server)));

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(newKid, Kid(await AccessTokenAsync(server)));
        Assert.Equal([newKid, oldKid], await KidsAsync(server));

        // The old key's last token (10 minutes, the longest lifetime) has expired: JWKS drops it.
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([newKid], await KidsAsync(server));
        var list = await RunAsync(server, "keys", "list");
        Assert.Matches($@"{oldKid}\s+RS256\s+removed", list);
        Assert.Matches($@"{newKid}\s+RS256\s+signing", list);
    }

    [Fact]
    public async Task Key_OlderThanTheRotationInterval_RotatesByItself()
    {
        await using var server = await RuumServer.StartAsync(DatabaseKeys);
        var oldKid = Kid(await AccessTokenAsync(server));

        server.Clock.Advance(TimeSpan.FromDays(90));

        var published = await KidsAsync(server);
        Assert.Equal(2, published.Length);
        Assert.Equal(oldKid, Kid(await AccessTokenAsync(server)));
        Assert.Matches(@"\s+RS256\s+next\s+", await RunAsync(server, "keys", "list"));
    }

    [Fact]
    public async Task RotateNow_SignsWithTheNewKeyAtOnce_AndTheOldKeyIsRevokedAndGoneFromJwks()
    {
        await using var server = await RuumServer.StartAsync(DatabaseKeys);
        var oldToken = await AccessTokenAsync(server);
        Assert.True((await server.IntrospectAsync(oldToken)).GetProperty("active").GetBoolean());

        var output = await RunAsync(server, "keys", "rotate", "--now");

        var newKid = Assert.Single(await KidsAsync(server));
        Assert.NotEqual(Kid(oldToken), newKid);
        Assert.Contains("every older key is revoked", output, StringComparison.Ordinal);
        Assert.Equal(newKid, Kid(await AccessTokenAsync(server)));
        Assert.False((await server.IntrospectAsync(oldToken)).GetProperty("active").GetBoolean());
        Assert.Matches($@"{Kid(oldToken)}\s+RS256\s+revoked", await RunAsync(server, "keys", "list"));
    }

    [Fact]
    public async Task Rotate_WithConfiguredKeys_IsRefusedAndChangesNothing()
    {
        await using var server = await RuumServer.StartAsync();
        var before = await server.CreatePlainClient().GetStringAsync(".well-known/jwks");

        using var output = new StringWriter();
        var exitCode = await SigningKeysCommand.RunAsync(server.Services, ["keys", "rotate", "--now"], output);

        Assert.Equal(1, exitCode);
        Assert.Contains("Ruum:Signing:Keys is set", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await server.CreatePlainClient().GetStringAsync(".well-known/jwks"));
        Assert.Equal(0, await server.WithDatabaseAsync(db => db.Set<SigningKey>().CountAsync()));
    }

    [Fact]
    public async Task Api_TokenSignedBeforeANormalRotation_StillValidatesAfterIt()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>(DatabaseKeys)
        {
            ["Ruum:Signing:ActivationDelay"] = "00:01:00",
        });
        await using var api = await SampleApiServer.StartAsync(server.BaseAddress);
        var oldToken = await UserAccessTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(oldToken).GetAsync("projects")).StatusCode);

        await RunAsync(server, "keys", "rotate");
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var newToken = await UserAccessTokenAsync(server);

        Assert.NotEqual(Kid(oldToken), Kid(newToken));
        Assert.Equal(HttpStatusCode.OK, (await api.Client(newToken).GetAsync("projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(oldToken).GetAsync("projects")).StatusCode);
    }

    private static async Task<string> RunAsync(RuumServer server, params string[] args)
    {
        using var output = new StringWriter();
        Assert.Equal(0, await SigningKeysCommand.RunAsync(server.Services, args, output));
        return output.ToString();
    }

    private static async Task<string> AccessTokenAsync(RuumServer server) =>
        (await server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;

    private static async Task<string> UserAccessTokenAsync(RuumServer server) =>
        (await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.MemberEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;

    private static string Kid(string token) => Jwt.Header(token).GetProperty("kid").GetString()!;

    private static async Task<string[]> KidsAsync(RuumServer server)
    {
        using var jwks = JsonDocument.Parse(await server.CreatePlainClient().GetStringAsync(".well-known/jwks"));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }
}
