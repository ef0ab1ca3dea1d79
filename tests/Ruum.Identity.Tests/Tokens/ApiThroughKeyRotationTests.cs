using System.Net;
using System.Text.Json;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>
/// The sample API (the validation package, reading discovery and JWKS over HTTP) while the database's signing key set
/// rotates. Its keys are read again only every five minutes of its clock, even for an unknown key id, so nothing but
/// the announce phase can keep a new key's tokens from being refused.
/// </summary>
public sealed class ApiThroughKeyRotationTests
{
    private static readonly TimeSpan ApiKeyCache = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ActivationDelay = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);
    private const int Clients = 4;

    [Fact]
    public async Task Api_UnderLoadThroughANormalRotation_RefusesNoValidToken()
    {
        await using var server = await RuumServer.StartAsync(DatabaseKeys());
        await using var api = await StartApiAsync(server);
        var refreshTokens = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            refreshTokens.Add((await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.MemberEmail, DevelopmentSeed.Password))
                .GetProperty("refresh_token").GetString()!);
        }
        var oldKid = Kid(await UserAccessTokenAsync(server));
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var clients = refreshTokens.Select(token => Task.Run(() => ClientLoopAsync(server, api, token, load, stop.Token))).ToList();

        await load.WaitForCallsAsync(Clients * 2, clients);
        // The new key is made a moment after the first (the same instant on a fake clock would tie them).
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await RunAsync(server, "keys", "rotate");
        // Past the activation and the old key's removal from JWKS (its tokens' lifetime), a minute at a time; the API's
        // clock moves first so no token is ever from its future, and every client makes calls at every minute.
        var end = ActivationDelay + TimeSpan.FromMinutes(10) + 3 * ApiKeyCache;
        for (var elapsed = TimeSpan.Zero; elapsed < end; elapsed += Step)
        {
            api.Clock.Advance(Step);
            server.Clock.Advance(Step);
            await load.WaitForCallsAsync(load.Calls + Clients * 2, clients);
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.NotEqual(oldKid, Kid(await UserAccessTokenAsync(server)));
        Assert.Contains(oldKid, load.Kids);
        Assert.True(load.Kids.Count >= 2, "Tokens of both keys were used.");
        Assert.True(load.Refused == 0, $"Old key {oldKid}; refused:\n" + string.Join("\n", load.Refusals));
        Assert.True(load.Calls > 0);
    }

    [Fact]
    public async Task Api_AfterRotateNow_RefusesTheOldKeysTokensOnceItReadsTheKeysAgain()
    {
        await using var server = await RuumServer.StartAsync(DatabaseKeys());
        await using var api = await StartApiAsync(server);
        var oldToken = await UserAccessTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, oldToken));

        await RunAsync(server, "keys", "rotate", "--now");
        var newToken = await UserAccessTokenAsync(server);
        Assert.NotEqual(Kid(oldToken), Kid(newToken));
        api.Clock.Advance(ApiKeyCache);

        // The new key's first token makes the API read JWKS again, which no longer lists the old key.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, newToken));
        using var refused = await api.Client(oldToken).GetAsync("projects");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, newToken));
    }

    /// <summary>Refreshes for a new access token, then uses it for a few calls: some tokens are in flight across each step.</summary>
    private static async Task ClientLoopAsync(RuumServer server, SampleApiServer api, string refreshToken, Load load, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var refreshed = await server.RefreshAsync(refreshToken);
            var json = await refreshed.JsonAsync();
            Assert.True(refreshed.IsSuccessStatusCode, json.ToString());
            refreshToken = json.GetProperty("refresh_token").GetString()!;
            var accessToken = json.GetProperty("access_token").GetString()!;
            load.Saw(Kid(accessToken));
            for (var call = 0; call < 3 && !stop.IsCancellationRequested; call++)
            {
                using var client = api.Client(accessToken);
                using var response = await client.GetAsync("projects", CancellationToken.None);
                load.Count(response, Kid(accessToken));
            }
        }
    }

    private sealed class Load
    {
        private readonly Lock _gate = new();
        private int _calls;
        private int _refused;

        public int Calls => Volatile.Read(ref _calls);

        public int Refused => Volatile.Read(ref _refused);

        public HashSet<string> Kids { get; } = [];

        public void Saw(string kid)
        {
            lock (_gate)
            {
                Kids.Add(kid);
            }
        }

        public List<string> Refusals { get; } = [];

        public void Count(HttpResponseMessage response, string kid)
        {
            var status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                Interlocked.Increment(ref _refused);
                lock (_gate)
                {
                    Refusals.Add($"{kid}: {response.Headers.WwwAuthenticate}");
                }
            }
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"The API answered {status}.");
            Interlocked.Increment(ref _calls);
        }

        /// <summary>Until that many calls were made; a client that failed (a refresh refused, a 500) fails the test at once.</summary>
        public async Task WaitForCallsAsync(int calls, IReadOnlyList<Task> clients)
        {
            while (Calls < calls)
            {
                if (clients.FirstOrDefault(client => client.IsCompleted) is { } ended)
                {
                    await ended;
                    Assert.Fail("A client stopped before the test ended.");
                }
                await Task.Delay(5);
            }
        }
    }

    private static Dictionary<string, string?> DatabaseKeys() => new()
    {
        ["Ruum:Signing:Keys:0:Pem"] = null,
        ["Ruum:Signing:ActivationDelay"] = ActivationDelay.ToString(),
    };

    private static Task<SampleApiServer> StartApiAsync(RuumServer server) =>
        SampleApiServer.StartAsync(server.BaseAddress, o =>
        {
            o.KeyRefreshInterval = ApiKeyCache;
            o.UnknownKeyRefreshInterval = ApiKeyCache;
        });

    private static async Task<HttpStatusCode> CallAsync(SampleApiServer api, string accessToken)
    {
        using var client = api.Client(accessToken);
        using var response = await client.GetAsync("projects", CancellationToken.None);
        return response.StatusCode;
    }

    private static async Task RunAsync(RuumServer server, params string[] args)
    {
        using var output = new StringWriter();
        Assert.Equal(0, await SigningKeysCommand.RunAsync(server.Services, args, output));
    }

    private static async Task<string> UserAccessTokenAsync(RuumServer server) =>
        (await new AuthorizationCodeFlow(server).GetTokensAsync(DevelopmentSeed.MemberEmail, DevelopmentSeed.Password))
            .GetProperty("access_token").GetString()!;

    private static string Kid(string token) => Jwt.Header(token).GetProperty("kid").GetString()!;
}
