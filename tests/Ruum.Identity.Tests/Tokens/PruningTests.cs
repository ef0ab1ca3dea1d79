using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Tokens;

public sealed class PruningTests
{
    // The background job must not tick while the tests move the clock: they run the sweep themselves.
    private static readonly Dictionary<string, string?> NoBackgroundSweeps = new() { ["Ruum:Audit:SweepInterval"] = "40.00:00:00" };

    [Fact]
    public async Task SpentTokens_OnlyOnceOlderThanPruningAfter_ArePrunedAndTheValidOneKept()
    {
        await using var server = await RuumServer.StartAsync(NoBackgroundSweeps);
        var valid = await SignInAndRefreshAsync(server);

        server.Clock.Advance(TimeSpan.FromDays(13));
        Assert.True(await RetentionJobOf(server).RunOnceAsync(CancellationToken.None));
        Assert.Equal([Statuses.Redeemed, Statuses.Redeemed, Statuses.Valid], await TokenStatusesAsync(server));

        server.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True(await RetentionJobOf(server).RunOnceAsync(CancellationToken.None));

        Assert.Equal([Statuses.Valid], await TokenStatusesAsync(server));
        Assert.Equal(valid, await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().Select(t => t.Id).SingleAsync()));
        Assert.Equal(1, await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync()));
        Assert.Contains(server.Logs.Lines, line => line.Contains("Pruned 2 tokens and 0 authorizations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokedAuthorization_OlderThanPruningAfter_IsPrunedWithItsTokens()
    {
        await using var server = await RuumServer.StartAsync(NoBackgroundSweeps);
        await SignInAndRefreshAsync(server);
        await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreAuthorization>()
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, Statuses.Revoked)));

        server.Clock.Advance(TimeSpan.FromDays(15));
        Assert.True(await RetentionJobOf(server).RunOnceAsync(CancellationToken.None));

        Assert.Empty(await TokenStatusesAsync(server));
        Assert.Equal(0, await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync()));
    }

    [Fact]
    public async Task Sweep_WhileAnotherInstanceSweeps_SkipsItsTurnAndDeletesNothing()
    {
        await using var server = await RuumServer.StartAsync(NoBackgroundSweeps);
        await SignInAndRefreshAsync(server);
        server.Clock.Advance(TimeSpan.FromDays(15));

        // Another instance's session, holding the sweep lock.
        await using (var otherInstance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await otherInstance.OpenAsync();
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLock.Sweeps})", otherInstance);
            await take.ExecuteNonQueryAsync();

            Assert.False(await RetentionJobOf(server).RunOnceAsync(CancellationToken.None));
            Assert.Equal(3, (await TokenStatusesAsync(server)).Length);
            Assert.Contains(server.Logs.Lines, line => line.Contains("another instance is sweeping", StringComparison.Ordinal));

            // The other instance finishes. Said explicitly: a closed connection's backend lets go of its locks only
            // when it exits, a moment after the close, and the next sweep could come first.
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLock.Sweeps})", otherInstance);
            await release.ExecuteNonQueryAsync();
        }

        Assert.True(await RetentionJobOf(server).RunOnceAsync(CancellationToken.None));
        Assert.Single(await TokenStatusesAsync(server));
    }

    [Fact]
    public async Task PruningAfter_OfZero_RefusesToStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Pruning:After"] = "00:00:00" });
        });
        Assert.Contains("After", error.ToString(), StringComparison.Ordinal);
    }

    /// <returns>The id of the one token still valid: the refresh token the refresh returned.</returns>
    private static async Task<string> SignInAndRefreshAsync(RuumServer server)
    {
        var user = await server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(server).GetTokensAsync(user.Email, TestData.Password);
        using var refreshed = await server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.True(refreshed.IsSuccessStatusCode, await refreshed.Content.ReadAsStringAsync());
        return await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Status == Statuses.Valid).Select(t => t.Id!).SingleAsync());
    }

    private static async Task<string[]> TokenStatusesAsync(RuumServer server) =>
        await server.WithDatabaseAsync(async db => (await db.Set<OpenIddictEntityFrameworkCoreToken>().Select(t => t.Status!).ToListAsync())
            .Order(StringComparer.Ordinal).ToArray());

    private static RetentionJob RetentionJobOf(RuumServer server) => server.Services.GetServices<IHostedService>().OfType<RetentionJob>().Single();
}
