using Microsoft.EntityFrameworkCore;
using Npgsql;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed class MigrateCommandTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    [Fact]
    public async Task Migrate_WithMigrationsConnection_MigratesThatDatabaseAndLeavesTheServersAlone()
    {
        var direct = await TestDatabase.CreateAsync();

        await fixture.Server.Services.MigrateRuumDatabaseAsync(direct);

        await using var connection = new NpgsqlConnection(direct);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM __ef_migrations_history", connection);
        Assert.True((long)(await command.ExecuteScalarAsync())! > 0);
        var serverDatabase = await fixture.Server.WithDatabaseAsync(db => Task.FromResult(db.Database.GetConnectionString()));
        Assert.Equal(new NpgsqlConnectionStringBuilder(fixture.Server.ConnectionString).Database,
            new NpgsqlConnectionStringBuilder(serverDatabase).Database);
    }
}
