using Npgsql;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Infrastructure.Database;

/// <summary>
/// Stateless instances share one PostgreSQL database (an embedded SQLite file would split state per instance),
/// reached over TLS with the server's certificate verified: <c>Require</c> encrypts but lets anyone on the path
/// present any certificate, so only <c>VerifyFull</c> (or <c>VerifyCA</c> with a stated reason) is accepted.
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
            if (Check($"ConnectionStrings:{name}", new NpgsqlConnectionStringBuilder(connection), options) is { } failure)
            {
                yield return failure;
            }
        }
    }

    private static string? Check(string setting, NpgsqlConnectionStringBuilder connection, DatabaseOptions options)
    {
        var hosts = DatabaseHosts.Of(connection.Host);
        if (connection.SslMode == SslMode.VerifyFull || hosts.All(DatabaseHosts.IsOnThisMachine))
        {
            return null;
        }
        if (connection.SslMode == SslMode.VerifyCA)
        {
            return string.IsNullOrWhiteSpace(options.VerifyCaReason)
                ? $"{setting} uses SSL Mode=VerifyCA, which does not check that the certificate names {connection.Host}: "
                    + $"use \"SSL Mode=VerifyFull\", or state why VerifyCA is enough in {DatabaseOptions.Section}:VerifyCaReason."
                : null;
        }
        if (hosts.All(DatabaseHosts.IsContainerName) && !string.IsNullOrWhiteSpace(options.ContainerNetworkReason))
        {
            return null;
        }
        return $"{setting} reaches {connection.Host} with SSL Mode={connection.SslMode}, which does not verify the server's certificate: "
            + "add \"SSL Mode=VerifyFull\" (Neon's certificates verify against the system CAs)"
            + (hosts.All(DatabaseHosts.IsContainerName)
                ? $", or for a container on this private network state why in {DatabaseOptions.Section}:ContainerNetworkReason."
                : ".");
    }
}

/// <summary>Where a connection string's hosts are (Npgsql accepts a comma-separated list, each with an optional port).</summary>
internal static class DatabaseHosts
{
    public static IReadOnlyList<string> Of(string? hosts) =>
        string.IsNullOrWhiteSpace(hosts) ? ["localhost"] : [.. hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(WithoutPort)];

    /// <summary>
    /// Loopback or a Unix socket: the bytes never leave this machine's kernel, so there is no network path for a
    /// certificate to protect, and whoever could interpose already runs code here, next to every secret.
    /// </summary>
    public static bool IsOnThisMachine(string host) =>
        host.StartsWith('/') || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>A single-label name such as compose's <c>postgres</c> (Render's internal hosts look the same, so this alone exempts nothing).</summary>
    public static bool IsContainerName(string host) =>
        !host.Contains('.', StringComparison.Ordinal) && !host.Contains(':', StringComparison.Ordinal);

    private static string WithoutPort(string host) =>
        host.StartsWith('[') ? host[1..Math.Max(1, host.IndexOf(']', StringComparison.Ordinal))]
        : host.Count(c => c == ':') == 1 ? host[..host.IndexOf(':', StringComparison.Ordinal)]
        : host;
}
