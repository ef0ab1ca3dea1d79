using System.Net;
using Npgsql;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// PostgreSQL goes away under a running server and comes back: a relay the test cuts stands between the server and the
/// shared cluster (which other tests keep using, so it is never stopped).
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task DatabaseDown_Requests_FailWith503AndRecoverWithoutARestart()
    {
        var cluster = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        await using var proxy = new CuttableProxy(cluster.Host!, cluster.Port);
        var database = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateAsync()) { Port = proxy.Port };
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = database.ConnectionString });
        var client = server.CreatePlainClient();
        await server.ClientCredentialsAsync();
        var flow = new AuthorizationCodeFlow(server);
        var loginPage = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl()));
        var user = await server.CreateUserAsync();

        proxy.Cut();

        var token = await TokenRequestAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, token.StatusCode);
        Assert.Equal("temporarily_unavailable", (await token.JsonAsync()).GetProperty("error").GetString());
        Assert.NotNull(token.Headers.RetryAfter);
        var login = await flow.SignInWithPageAsync(loginPage, user.Email, TestData.Password);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.NotNull(login.Headers.RetryAfter);
        var page = await login.Content.ReadAsStringAsync();
        Assert.Contains("Temporarily unavailable", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/live")).StatusCode);

        proxy.Restore();

        // Connections the pool held were cut: a request may still meet one (503) before the pool has replaced them.
        var recovered = await TokenRequestAsync(client);
        for (var attempt = 0; attempt < 20 && recovered.StatusCode == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            recovered = await TokenRequestAsync(client);
        }
        Assert.True(recovered.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, recovered.StatusCode.ToString());
        Assert.Equal("invalid_client", (await recovered.JsonAsync()).GetProperty("error").GetString());
        await server.ClientCredentialsAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);
    }

    /// <summary>A client id never seen before: OpenIddict caches the clients it found, so only a new one surely needs the database.</summary>
    private static Task<HttpResponseMessage> TokenRequestAsync(HttpClient client) =>
        client.PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
        }, ("unknown-" + Guid.NewGuid().ToString("N"), "some-secret"));
}
