using System.Diagnostics;
using Npgsql;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Deploy;

/// <summary>The scripts in deploy/, run as an operator runs them: a bash process with environment variables.</summary>
public static class DeployScript
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>deploy/, found from the test assembly's folder upwards.</summary>
    public static string Folder { get; } = FindFolder();

    public static async Task<Result> RunAsync(string script, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Folder, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new(process.ExitCode, await output, await error);
    }

    /// <summary>A libpq URL (what the scripts take) for an Npgsql connection string of the test cluster.</summary>
    public static string UrlOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var password = string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password);
        return $"postgresql://{Uri.EscapeDataString(builder.Username!)}{password}@{builder.Host}:{builder.Port}/{Uri.EscapeDataString(builder.Database!)}";
    }

    /// <summary>How many tables, views and sequences a database holds outside the system schemas.</summary>
    public static async Task<long> RelationCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A new, empty database on the test cluster.</summary>
    public static Task<string> EmptyDatabaseAsync() => TestDatabase.CreateAsync();

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "deploy");
            if (File.Exists(Path.Combine(candidate, "backup.sh")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("deploy/ not found above " + AppContext.BaseDirectory);
    }
}
