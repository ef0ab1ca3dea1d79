using System.Net;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed class HealthTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    public async Task Health_WithDatabaseUp_IsHealthy(string path)
    {
        var response = await fixture.Server.CreatePlainClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_WithDatabaseUnreachable_IsLiveButNotReady()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = "ruum_no_such_database" };
        await using var server = await ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = connection.ConnectionString,
            ["Ruum:Database:MigrateOnStartup"] = null,
        });
        var client = server.CreatePlainClient();

        var live = await client.GetAsync("health/live");
        var ready = await client.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_OverPlainHttpInProduction_IsNotRedirected()
    {
        await using var server = await ProductionServer.StartAsync();

        var response = await server.CreatePlainClient().GetAsync("health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
