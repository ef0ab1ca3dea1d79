using Npgsql;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Infrastructure.Database;

/// <summary>
/// Stateless instances share one PostgreSQL database (an embedded SQLite file would split state per instance),
/// reached over TLS whenever it is not on the same host or a private container network.
/// </summary>
internal sealed class DatabaseProductionRules(IHostEnvironment environment, IConfiguration configuration)
    : ProductionRules<DatabaseOptions>(environment)
{
    protected override IEnumerable<string> Check(DatabaseOptions options)
    {
        if (options.Provider != DatabaseProvider.PostgreSQL)
        {
            yield return $"{DatabaseOptions.Section}:Provider is {options.Provider}: outside Development the database is PostgreSQL "
                + "(set Ruum__Database__Provider=PostgreSQL and ConnectionStrings__Default).";
            yield break;
        }
        foreach (var name in new[] { "Default", "Migrations" })
        {
            var connection = configuration.GetConnectionString(name);
            if (string.IsNullOrWhiteSpace(connection))
            {
                if (name == "Default")
                {
                    yield return "ConnectionStrings:Default is missing: set ConnectionStrings__Default to the PostgreSQL connection string.";
                }
                continue;
            }
            var builder = new NpgsqlConnectionStringBuilder(connection);
            if (builder.SslMode is not (SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull) && !IsLocal(builder.Host))
            {
                yield return $"ConnectionStrings:{name} reaches {builder.Host} without TLS: add \"SSL Mode=VerifyFull\" (or Require).";
            }
        }
    }

    // The same machine, or a container network's single-label service name (docker compose's "postgres").
    private static bool IsLocal(string? host) =>
        host is null or "localhost" || !host.Contains('.', StringComparison.Ordinal)
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
