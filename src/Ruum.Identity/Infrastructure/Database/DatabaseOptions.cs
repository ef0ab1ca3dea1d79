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

    /// <summary>
    /// PostgreSQL only: how many statements each connection keeps prepared (Npgsql's <c>Max Auto Prepare</c>, 0 = none).
    /// Prepared statements skip parsing and planning: they halved the database's CPU per refresh in the benchmark.
    /// Neon's pooler keeps protocol-level prepared statements, which are the kind Npgsql uses.
    /// </summary>
    [Range(0, 1000)]
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>
    /// PostgreSQL only: reset the session each time a pooled connection is reused (Npgsql's <c>No Reset On Close</c>
    /// inverted). Off by default: the application sets no session state, so the reset is a wasted round trip.
    /// </summary>
    public bool ResetOnClose { get; set; }

    /// <summary>
    /// PostgreSQL only: seconds to wait for a new connection (Npgsql's <c>Timeout</c>, whose default is 15). Short, so
    /// requests while the database is unreachable fail fast with 503 instead of queueing (a Neon compute wakes in ~1 s).
    /// </summary>
    [Range(1, 60)]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>PostgreSQL only: seconds a statement may run (Npgsql's <c>Command Timeout</c>, whose default is 30).
    /// The server's queries take milliseconds; a statement stuck longer means the database is in trouble.</summary>
    [Range(1, 300)]
    public int CommandTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Why <c>SSL Mode=VerifyCA</c> is enough here (the CA is checked, the host name is not). Outside Development a
    /// remote connection must verify the certificate in full unless this says why not.
    /// </summary>
    public string? VerifyCaReason { get; set; }

    /// <summary>
    /// Why a connection to a container on the same private network (a single-label host such as compose's
    /// <c>postgres</c>) may go without a verified certificate. Outside Development such a host needs this or VerifyFull.
    /// </summary>
    public string? ContainerNetworkReason { get; set; }
}
