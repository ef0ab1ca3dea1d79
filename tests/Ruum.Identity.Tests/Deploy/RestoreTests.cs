using System.Net;
using Npgsql;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Deploy;

/// <summary>
/// deploy/backup.sh then deploy/restore.sh, and the server on what they rebuilt: the round trip into a cluster of its own
/// (as after losing the database server), the refusals against the test cluster.
/// </summary>
public sealed class RestoreTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ruum-backups-").FullName;
    private RuumServer _original = null!;
    private Ruum.Identity.Features.Users.User _user = null!;
    private string _dump = null!;

    public async Task InitializeAsync()
    {
        _original = await RuumServer.StartAsync();
        _user = await _original.CreateUserAsync();
        _dump = await BackUpAsync(_original.ConnectionString);
    }

    [Fact]
    public async Task Restore_DumpIntoAFreshCluster_RebuildsItAndTheUserSignsInWithTheSameKeys()
    {
        var user = _user;
        await using var cluster = await ThrowawayCluster.StartAsync();
        var restored = await cluster.CreateDatabaseAsync("ruum_identity_restore");

        var result = await DeployScript.RunAsync("restore.sh", [_dump, DeployScript.UrlOf(restored)]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("users 3", result.Output, StringComparison.Ordinal); // the two seeded users and ours
        Assert.Contains("restore: check passed", result.Output, StringComparison.Ordinal);
        await _original.DisposeAsync();
        await using var server = RuumServer.Restart(_original, new Dictionary<string, string?> { ["ConnectionStrings:Default"] = restored });
        var flow = new AuthorizationCodeFlow(server) { PassSecondFactorAutomatically = false };
        var start = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl()));
        var otpPage = await flow.FollowAsync(await flow.SignInWithPageAsync(start, user.Email, TestData.Password));
        Assert.True(AuthorizationCodeFlow.IsOtpPage(otpPage), "The restored user's password was not accepted.");
        // The restarted server writes its mail where the original did (same settings).
        var code = flow.CodeFrom(await flow.FollowAsync(await flow.PostOtpAsync(otpPage, _original.LatestCode(user.Email))));
        var tokens = await flow.RedeemAsync(code);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        Assert.True((await tokens.JsonAsync()).TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Restore_CorruptDump_IsRefusedAndWritesNothing()
    {
        var bytes = await File.ReadAllBytesAsync(_dump);
        for (var i = bytes.Length * 2 / 3; i < bytes.Length * 2 / 3 + 200; i++)
        {
            bytes[i] ^= 0x5a;
        }
        var corrupt = Path.Combine(_folder, "ruum-identity-20261206T020000Z.dump");
        await File.WriteAllBytesAsync(corrupt, bytes);
        var target = await DeployScript.EmptyDatabaseAsync();

        var result = await DeployScript.RunAsync("restore.sh", [corrupt, DeployScript.UrlOf(target)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("restore: refused", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await DeployScript.RelationCountAsync(target));
    }

    [Fact]
    public async Task Restore_TruncatedDump_IsRefusedAndWritesNothing()
    {
        var bytes = await File.ReadAllBytesAsync(_dump);
        var truncated = Path.Combine(_folder, "truncated.dump");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 3 / 4)]);
        var target = await DeployScript.EmptyDatabaseAsync();

        var result = await DeployScript.RunAsync("restore.sh", [truncated, DeployScript.UrlOf(target)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("restore: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await DeployScript.RelationCountAsync(target));
    }

    [Fact]
    public async Task Restore_IntoADatabaseWithTables_IsRefusedAndLeavesItAsItWas()
    {
        var usersBefore = await UserCountAsync(_original.ConnectionString);

        var result = await DeployScript.RunAsync("restore.sh", [_dump, DeployScript.UrlOf(_original.ConnectionString)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the target database is not empty", result.Error, StringComparison.Ordinal);
        Assert.Equal(usersBefore, await UserCountAsync(_original.ConnectionString));
    }

    [Fact]
    public async Task Restore_WithoutArguments_PrintsUsageAndFails()
    {
        var result = await DeployScript.RunAsync("restore.sh", [_dump]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: deploy/restore.sh DUMP TARGET_URL", result.Error, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _original.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string> BackUpAsync(string connectionString)
    {
        var result = await DeployScript.RunAsync("backup.sh", [], new Dictionary<string, string>
        {
            ["BACKUP_DATABASE_URL"] = DeployScript.UrlOf(connectionString),
            ["BACKUP_DIR"] = _folder,
            ["BACKUP_ALLOW_PLAINTEXT"] = "1",
        });
        Assert.True(result.ExitCode == 0, result.Error);
        return Assert.Single(Directory.GetFiles(_folder, "ruum-identity-*.dump"));
    }

    private static async Task<long> UserCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM users", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
