using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Infrastructure.Database;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>Which database holds everything (<c>Ruum:Database</c>); the connection is <c>ConnectionStrings:Default</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Ruum:Database";
    public const string DefaultSqliteConnection = "Data Source=.data/ruum-identity.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up. Development only by default; Production runs <c>migrate</c> explicitly.</summary>
    public bool MigrateOnStartup { get; set; }

    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = 50;
}
