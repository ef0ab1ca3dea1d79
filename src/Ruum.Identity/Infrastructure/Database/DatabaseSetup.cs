using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ruum.Identity.Infrastructure.Database;

public static class DatabaseSetup
{
    public static WebApplicationBuilder AddRuumDatabase(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DatabaseOptions.Section);
        builder.Services.AddOptions<DatabaseOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connection = builder.Configuration.GetConnectionString("Default");

        if (options.Provider == DatabaseProvider.PostgreSQL)
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new OptionsValidationException("ConnectionStrings:Default", typeof(DatabaseOptions),
                    ["ConnectionStrings:Default is required when Ruum:Database:Provider is PostgreSQL."]);
            }
            builder.Services.AddDbContextPool<RuumDbContext>(o => o.UseRuumPostgres(WithPoolSettings(connection, options)));
        }
        else
        {
            var sqlite = SqliteUnderContentRoot(
                string.IsNullOrWhiteSpace(connection) ? DatabaseOptions.DefaultSqliteConnection : connection,
                builder.Environment.ContentRootPath);
            builder.Services.AddDbContextPool<RuumDbContext, SqliteRuumDbContext>(o => o.UseRuumSqlite(sqlite));
        }
        // Cookies and anti-forgery tokens must be readable by every instance: keys live in the database.
        builder.Services.AddDataProtection().SetApplicationName("Ruum.Identity").PersistKeysToDbContext<RuumDbContext>();
        return builder;
    }

    /// <summary>
    /// Adds <see cref="DatabaseOptions"/>' pool settings to <paramref name="connection"/>, except those it sets itself:
    /// an operator who writes <c>Maximum Pool Size=20</c> into the connection string gets 20.
    /// </summary>
    private static string WithPoolSettings(string connection, DatabaseOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection);
        // Keys lists only what the string sets, under Npgsql's canonical names whichever synonym was written.
        var given = builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("Maximum Pool Size"))
        {
            builder.MaxPoolSize = options.MaxPoolSize;
        }
        if (!given.Contains("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = options.MaxAutoPrepare;
        }
        if (!given.Contains("No Reset On Close"))
        {
            builder.NoResetOnClose = !options.ResetOnClose;
        }
        if (!given.Contains("Timeout"))
        {
            builder.Timeout = options.ConnectTimeoutSeconds;
        }
        if (!given.Contains("Command Timeout"))
        {
            builder.CommandTimeout = options.CommandTimeoutSeconds;
        }
        return builder.ConnectionString;
    }

    internal static DbContextOptionsBuilder UseRuumPostgres(this DbContextOptionsBuilder options, string connection) =>
        options.UseNpgsql(connection, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseOpenIddict();

    internal static DbContextOptionsBuilder UseRuumSqlite(this DbContextOptionsBuilder options, string connection) =>
        options.UseSqlite(connection).UseOpenIddict();

    /// <summary>
    /// Applies pending migrations of whichever provider is configured, over <paramref name="connectionString"/> when
    /// given: on Neon the direct endpoint, because a transaction-mode pooler cannot hold the session migrations need.
    /// A new database also gets its first Data Protection key (see <see cref="DataProtection.FirstKey"/>).
    /// </summary>
    public static async Task MigrateRuumDatabaseAsync(this IServiceProvider services, string? connectionString = null,
        CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RuumDbContext>();
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            // The context is pooled: give it back pointing where it pointed before.
            var configured = db.Database.GetConnectionString();
            db.Database.SetConnectionString(connectionString);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                db.Database.SetConnectionString(configured);
            }
        }
        await DataProtection.FirstKey.CreateIfNoneAsync(services, cancellationToken);
    }

    // A relative SQLite path means "under the project", wherever the process was started from.
    private static string SqliteUnderContentRoot(string connection, string contentRoot)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection);
        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        return builder.ConnectionString;
    }
}
