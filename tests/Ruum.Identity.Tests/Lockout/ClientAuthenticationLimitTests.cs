using System.Net;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Lockout;

public sealed class ClientAuthenticationLimitTests
{
    private static readonly Dictionary<string, string?> ThreeFailuresPerHour = new()
    {
        ["Ruum:Lockout:ClientAuthenticationFailuresPerWindow"] = "3",
        ["Ruum:Lockout:RateLimitWindow"] = "01:00:00",
        ["Ruum:Proxy:KnownProxies:0"] = "127.0.0.1",
    };

    [Fact]
    public async Task WrongClientSecrets_OverTheLimitFromVaryingIps_AreRefusedEvenWithTheRightSecret()
    {
        await using var server = await RuumServer.StartAsync(ThreeFailuresPerHour);
        for (var i = 1; i <= 3; i++)
        {
            var wrong = await ClientCredentialsFromAsync(server, $"203.0.113.{i}", "wrong-secret-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("invalid_client", (await wrong.JsonAsync()).GetProperty("error").GetString());
        }

        var limited = await ClientCredentialsFromAsync(server, "198.51.100.4", "wrong-secret-4");
        var right = await ClientCredentialsFromAsync(server, "198.51.100.5", "dev-service-secret");

        await AssertLimitedAsync(limited);
        await AssertLimitedAsync(right);
        // Another client's budget is its own.
        Assert.True((await server.IntrospectAsync("not-a-token")).TryGetProperty("active", out _));
    }

    [Fact]
    public async Task WrongClientSecrets_AtIntrospectionOverTheLimit_AreRefused()
    {
        await using var server = await RuumServer.StartAsync(ThreeFailuresPerHour);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await IntrospectWithAsync(server, "wrong-secret")).StatusCode);
        }

        await AssertLimitedAsync(await IntrospectWithAsync(server, "wrong-secret"));
        await AssertLimitedAsync(await IntrospectWithAsync(server, "ruum-api-secret"));
    }

    [Fact]
    public async Task WrongClientSecrets_SpreadOverTwoInstances_ShareOneBudget()
    {
        await using var first = await RuumServer.StartAsync(ThreeFailuresPerHour);
        await using var second = RuumServer.StartSecondInstance(first);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientCredentialsFromAsync(first, "203.0.113.1", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientCredentialsFromAsync(second, "203.0.113.2", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientCredentialsFromAsync(first, "203.0.113.3", "wrong")).StatusCode);

        await AssertLimitedAsync(await ClientCredentialsFromAsync(second, "203.0.113.4", "wrong"));
        await AssertLimitedAsync(await ClientCredentialsFromAsync(second, "203.0.113.5", "dev-service-secret"));
    }

    private static async Task AssertLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        var json = await response.JsonAsync();
        Assert.Equal("temporarily_unavailable", json.GetProperty("error").GetString());
        Assert.False(json.TryGetProperty("access_token", out _));
    }

    private static async Task<HttpResponseMessage> ClientCredentialsFromAsync(RuumServer server, string clientAddress, string secret)
    {
        using var client = server.CreatePlainClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return await client.PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
        }, ("dev-service", secret));
    }

    private static async Task<HttpResponseMessage> IntrospectWithAsync(RuumServer server, string secret)
    {
        using var client = server.CreatePlainClient();
        return await client.PostFormAsync("connect/introspect", new Dictionary<string, string> { ["token"] = "not-a-token" },
            ("ruum-api", secret));
    }
}
