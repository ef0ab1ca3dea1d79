using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Ruum.Identity.Infrastructure.Database;

/// <summary>
/// The one database: OpenIddict's entities, Data Protection keys and ours.
/// Each feature adds its entities through an <see cref="IEntityTypeConfiguration{TEntity}"/> in its own folder.
/// </summary>
public class RuumDbContext : DbContext, IDataProtectionKeyContext
{
    public RuumDbContext(DbContextOptions<RuumDbContext> options) : base(options) { }

    protected RuumDbContext(DbContextOptions options) : base(options) { }

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.UseOpenIddict();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RuumDbContext).Assembly);
    }
}

/// <summary>The embedded default. Only conventions differ; it has its own migrations.</summary>
public sealed class SqliteRuumDbContext(DbContextOptions<SqliteRuumDbContext> options) : RuumDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite cannot order or compare DateTimeOffset; store it as sortable ticks.
        configurationBuilder.Properties<DateTimeOffset>()
            .HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}
