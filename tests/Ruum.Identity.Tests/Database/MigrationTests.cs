using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Tests.Database;

public sealed class MigrationTests
{
    [Fact]
    public void PostgresMigrations_MatchTheModel()
    {
        using var db = ((IDesignTimeDbContextFactory<RuumDbContext>)new PostgresDesignTimeFactory()).CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add for RuumDbContext.");
    }

    [Fact]
    public void SqliteMigrations_MatchTheModel()
    {
        using var db = ((IDesignTimeDbContextFactory<SqliteRuumDbContext>)new SqliteDesignTimeFactory()).CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add for SqliteRuumDbContext.");
    }
}
