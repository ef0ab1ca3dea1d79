using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ruum.Identity.Infrastructure.Database;

// `dotnet ef migrations add X --context RuumDbContext|SqliteRuumDbContext` builds the model from these,
// so migrations never need a running database or the app's start-up.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<RuumDbContext>
{
    public RuumDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<RuumDbContext>();
        options.UseRuumPostgres("Host=localhost");
        return new RuumDbContext(options.Options);
    }
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRuumDbContext>
{
    public SqliteRuumDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteRuumDbContext>();
        options.UseRuumSqlite(DatabaseOptions.DefaultSqliteConnection);
        return new SqliteRuumDbContext(options.Options);
    }
}

