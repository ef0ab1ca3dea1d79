using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ruum.Identity.Tests.Deploy;

/// <summary>
/// A PostgreSQL cluster of its own (initdb in a temporary folder, a free loopback port, no durability), with the
/// installed PostgreSQL's binaries (/usr/lib/postgresql/N/bin, the Debian package scripts/test.sh installs): a restore
/// lands where nothing of the original cluster exists, no role, no database, no setting. Stopped and deleted on dispose.
/// initdb and pg_ctl refuse to run as root: as root they run as the postgres user.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asPostgres = Environment.UserName == "root";

    private ThrowawayCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database,
    }.ConnectionString;

    public static async Task<ThrowawayCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .OrderByDescending(version => int.TryParse(Path.GetFileName(version), CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Select(version => Path.Combine(version, "bin"))
            .FirstOrDefault(candidate => File.Exists(Path.Combine(candidate, "initdb")))
            ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql: install the postgresql package.");
        var cluster = new ThrowawayCluster(bin, Directory.CreateTempSubdirectory("ruum-cluster-").FullName, FreePort());
        try
        {
            if (cluster._asPostgres)
            {
                await RunAsync("chown", ["postgres", cluster._folder]);
            }
            await cluster.RunPostgresAsync("initdb", ["-D", cluster.Data, "-A", "trust", "-U", "postgres", "-E", "UTF8"]);
            await cluster.RunPostgresAsync("pg_ctl", ["-D", cluster.Data, "-l", Path.Combine(cluster._folder, "log"), "-w", "start", "-o",
                $"-p {cluster.Port} -k {cluster._folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"]);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new empty database in this cluster, as <c>createdb</c> makes one.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        // Immediate: connections a server's pool still holds would keep a smart shutdown waiting.
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            await RunPostgresAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
        }
        Directory.Delete(_folder, recursive: true);
    }

    private string Data => Path.Combine(_folder, "data");

    private Task RunPostgresAsync(string program, IReadOnlyList<string> arguments) => _asPostgres
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments])
        : RunAsync(Path.Combine(_bin, program), arguments);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
