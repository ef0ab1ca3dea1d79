using Npgsql;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>A fresh PostgreSQL database per server, on the cluster scripts/test.sh provides.</summary>
public static class TestDatabase
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("RUUM_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "RUUM_TEST_POSTGRES is not set. Run the tests with scripts/test.sh, which starts PostgreSQL for them.");

    public static async Task<string> CreateAsync()
    {
        var name = "ruum_t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }
}
