using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Audit;

public sealed class AuditChainTests
{
    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task AuditVerify_ConcurrentAppends_FormOneIntactChain(string provider)
    {
        await using var server = provider == "Sqlite" ? RuumServer.StartOnSqlite() : await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => RecordAsync(server, user.Id, i)));

        var (exitCode, output) = await VerifyAsync(server);
        Assert.True(exitCode == 0, output);
        var sequences = await server.WithDatabaseAsync(db => db.Set<Ruum.Identity.Features.Audit.AuditEvent>().AsNoTracking()
            .Where(e => e.Sequence != null).OrderBy(e => e.Sequence).Select(e => e.Sequence!.Value).ToListAsync());
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.True(sequences.Count >= 20);
    }

    [Fact]
    public async Task AuditVerify_RowEditedByTheOwnerRole_ExitsNonZeroNamingTheRow()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        for (var i = 0; i < 5; i++)
        {
            await RecordAsync(server, user.Id, i);
        }
        var rows = await server.AuditOfAsync(user.Id);
        var edited = rows[2];

        // The owner may switch off the append-only trigger; the chain still shows the edit.
        await OwnerSqlAsync(server, $"""
            ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
            UPDATE audit_events SET "Outcome" = 'success' WHERE "Id" = '{edited.Id}';
            ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
            """);

        var (exitCode, output) = await VerifyAsync(server);
        Assert.Equal(1, exitCode);
        Assert.Contains(edited.Id.ToString(), output, StringComparison.Ordinal);
        Assert.Contains("changed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_RowDeletedFromTheMiddle_ExitsNonZeroNamingTheMissingLink()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        for (var i = 0; i < 5; i++)
        {
            await RecordAsync(server, user.Id, i);
        }
        var rows = await server.AuditOfAsync(user.Id);

        await OwnerSqlAsync(server, $"""DELETE FROM audit_events WHERE "Id" = '{rows[2].Id}'""");

        var (exitCode, output) = await VerifyAsync(server);
        Assert.Equal(1, exitCode);
        Assert.Contains("missing", output, StringComparison.Ordinal);
        Assert.Contains(rows[3].Id.ToString(), output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task Retention_DeletesOnlyExpiredRowsFromTheOldEnd_AndTheRestStillVerifies(string provider)
    {
        // The sweep interval outlasts the clock jump: the background job does not sweep first.
        var settings = new Dictionary<string, string?>
        {
            ["Ruum:Audit:RetentionDays"] = "30",
            ["Ruum:Audit:DeleteBatchSize"] = "2",
            ["Ruum:Audit:SweepInterval"] = "40.00:00:00",
        };
        await using var server = provider == "Sqlite" ? RuumServer.StartOnSqlite(settings) : await RuumServer.StartAsync(settings);
        var user = await server.CreateUserAsync();
        for (var i = 0; i < 5; i++)
        {
            await RecordAsync(server, user.Id, i);
        }
        server.Clock.Advance(TimeSpan.FromDays(31));
        await server.WithServicesAsync(services => services.GetRequiredService<AuditLog>()
            .RecordAsync(AuditEventTypes.SignInSucceeded, AuditOutcomes.Success, user.Id));
        var before = await server.WithDatabaseAsync(db => db.Set<Ruum.Identity.Features.Audit.AuditEvent>().CountAsync());

        var deleted = 0;
        await server.WithServicesAsync(async services =>
            deleted = await services.GetRequiredService<AuditRetention>().DeleteExpiredAsync(CancellationToken.None));

        Assert.Equal(5, deleted);
        Assert.Equal(before - 5, await server.WithDatabaseAsync(db => db.Set<Ruum.Identity.Features.Audit.AuditEvent>().CountAsync()));
        Assert.Equal(AuditEventTypes.SignInSucceeded, Assert.Single(await server.AuditOfAsync(user.Id)).Type);
        var (exitCode, output) = await VerifyAsync(server);
        Assert.True(exitCode == 0, output);

        // Everything expired: the chain's newest row stays, so the next row still links to it.
        server.Clock.Advance(TimeSpan.FromDays(31));
        await server.WithServicesAsync(async services => await services.GetRequiredService<AuditRetention>().DeleteExpiredAsync(CancellationToken.None));
        Assert.Single(await server.AuditOfAsync(user.Id));
        await RecordAsync(server, user.Id, 0);
        (exitCode, output) = await VerifyAsync(server);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task ServerRole_WithTheDocumentedGrants_CannotUpdateDeleteOrTruncateAuditEvents()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        await RecordAsync(server, user.Id, 0);
        var role = "ruum_app_" + Guid.NewGuid().ToString("N")[..12];
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString).Database;
        // The grants deploy/README.md documents for the server's role.
        await OwnerSqlAsync(server, $"""
            CREATE ROLE {role} LOGIN PASSWORD 'test-only';
            GRANT CONNECT ON DATABASE "{database}" TO {role};
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {role};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
            GRANT EXECUTE ON FUNCTION audit_events_delete_expired(timestamptz, integer) TO {role};
            """);
        try
        {
            var asApp = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Username = role, Password = "test-only", Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(asApp);
            await connection.OpenAsync();
            foreach (var sql in new[]
            {
                """UPDATE audit_events SET "Outcome" = 'failure'""",
                "DELETE FROM audit_events",
                "TRUNCATE audit_events",
            })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }
            await using (var select = new NpgsqlCommand("SELECT count(*) FROM audit_events", connection))
            {
                Assert.True((long)(await select.ExecuteScalarAsync())! >= 1);
            }
            await using (var prune = new NpgsqlCommand("SELECT audit_events_delete_expired(now() - interval '1 day', 10)", connection))
            {
                Assert.Equal(0, (int)(await prune.ExecuteScalarAsync())!);
            }
            Assert.Single(await server.AuditOfAsync(user.Id));
            var (exitCode, output) = await VerifyAsync(server);
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await OwnerSqlAsync(server, $"DROP OWNED BY {role}; DROP ROLE {role};");
        }
    }

    private static Task RecordAsync(RuumServer server, Guid userId, int attempt) =>
        server.WithServicesAsync(services => services.GetRequiredService<AuditLog>()
            .RecordAsync(AuditEventTypes.SignInFailed, AuditOutcomes.Failure, userId, new { reason = "test", attempt }));

    private static async Task<(int ExitCode, string Output)> VerifyAsync(RuumServer server)
    {
        await using var output = new StringWriter();
        var exitCode = await AuditVerifyCommand.RunAsync(server.Services, output);
        return (exitCode, output.ToString());
    }

    private static async Task OwnerSqlAsync(RuumServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
