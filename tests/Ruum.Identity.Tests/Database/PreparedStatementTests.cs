using Microsoft.EntityFrameworkCore;
using Npgsql;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Database;

/// <summary>PostgreSQL connections keep hot statements prepared and skip the per-open session reset, unless told otherwise.</summary>
public sealed class PreparedStatementTests
{
    [Fact]
    public async Task ARepeatedQuery_IsPreparedOnItsConnection_AndTheResetIsSkipped()
    {
        await using var server = await RuumServer.StartAsync();

        var (prepared, noReset) = await server.WithDatabaseAsync(PreparedAfterRepeatingAQueryAsync);

        Assert.True(prepared > 0, "Npgsql should auto-prepare a statement run more than five times.");
        Assert.True(noReset);
    }

    [Fact]
    public async Task MaxAutoPrepareZero_PreparesNothing()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Database:MaxAutoPrepare"] = "0",
            ["Ruum:Database:ResetOnClose"] = "true",
        });

        var (prepared, noReset) = await server.WithDatabaseAsync(PreparedAfterRepeatingAQueryAsync);

        Assert.Equal(0, prepared);
        Assert.False(noReset);
    }

    [Fact]
    public async Task ConnectionStringKeywords_WinOverTheDatabaseSettings()
    {
        var first = await RuumServer.StartAsync();
        await first.DisposeAsync();
        await using var server = RuumServer.Restart(first, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = first.ConnectionString + ";Max Auto Prepare=0;MaxPoolSize=7;No Reset On Close=false",
        });

        var (prepared, noReset) = await server.WithDatabaseAsync(PreparedAfterRepeatingAQueryAsync);
        var poolSize = await server.WithDatabaseAsync(db =>
            Task.FromResult(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).MaxPoolSize));

        Assert.Equal(0, prepared);
        Assert.False(noReset);
        Assert.Equal(7, poolSize);
    }

    private static async Task<(int Prepared, bool NoResetOnClose)> PreparedAfterRepeatingAQueryAsync(RuumDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                await db.DataProtectionKeys.CountAsync();
            }
            var prepared = await db.Database
                .SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_prepared_statements")
                .SingleAsync();
            var noReset = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).NoResetOnClose;
            return (prepared, noReset);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
