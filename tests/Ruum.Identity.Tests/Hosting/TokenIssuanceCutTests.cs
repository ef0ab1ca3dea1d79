using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// Issue 28, "no half-written row": the database connection dies exactly between a token exchange's redemption of the
/// presented code or refresh token and the insert of its successor. The client gets a clean temporarily_unavailable, the
/// presented token is left as it was, and the client's retry succeeds.
/// </summary>
public sealed class TokenIssuanceCutTests : IAsyncLifetime
{
    private readonly CutBeforeTokenInsert _cut = new();
    private RuumServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RuumServer.StartAsync(configure: web => web.ConfigureServices(services =>
            services.ConfigureDbContext<RuumDbContext>(options => options.AddInterceptors(_cut))));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CodeRedemption_ConnectionCutBeforeTheRefreshTokenIsWritten_LeavesTheCodeForARetry()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password);
        var before = await TokensOfAsync(user.Id);

        _cut.Arm();
        var cut = await flow.RedeemAsync(code);

        await AssertTemporarilyUnavailableAsync(cut);
        Assert.Equal(before, await TokensOfAsync(user.Id));
        var retry = await flow.RedeemAsync(code);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var refreshToken = (await retry.JsonAsync()).GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _server.RefreshAsync(refreshToken)).StatusCode);
    }

    [Fact]
    public async Task Refresh_ConnectionCutBeforeTheNewTokenIsWritten_LeavesTheOldTokenForARetry()
    {
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        var before = await TokensOfAsync(user.Id);

        _cut.Arm();
        var cut = await _server.RefreshAsync(refreshToken);

        await AssertTemporarilyUnavailableAsync(cut);
        Assert.Equal(before, await TokensOfAsync(user.Id));
        var retry = await _server.RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var next = (await retry.JsonAsync()).GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _server.RefreshAsync(next)).StatusCode);
    }

    [Fact]
    public async Task CodeRedeemedAgain_AfterARetriedCut_FailsAndRevokesTheRetrysTokens()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password);
        _cut.Arm();
        await AssertTemporarilyUnavailableAsync(await flow.RedeemAsync(code));
        var refreshToken = (await (await flow.RedeemAsync(code)).JsonAsync()).GetProperty("refresh_token").GetString()!;

        var replay = await flow.RedeemAsync(code);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await (await _server.RefreshAsync(refreshToken)).JsonAsync()).GetProperty("error").GetString());
        Assert.All(await TokensOfAsync(user.Id), token => Assert.NotEqual(Statuses.Valid, token.Status));
    }

    private static async Task AssertTemporarilyUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("temporarily_unavailable", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    private sealed record TokenRow(string Id, string? Type, string? Status);

    private Task<List<TokenRow>> TokensOfAsync(Guid userId) => _server.WithDatabaseAsync(db =>
        db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking().Where(t => t.Subject == userId.ToString())
            .OrderBy(t => t.Id).Select(t => new TokenRow(t.Id!, t.Type, t.Status)).ToListAsync());

    /// <summary>
    /// Once armed, ends the server's database session (pg_terminate_backend, as a restart or a failover would) just as it
    /// is about to insert a token row: after the request redeemed the presented token, before its successor exists.
    /// </summary>
    private sealed class CutBeforeTokenInsert : DbCommandInterceptor
    {
        private int _armed;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await CutIfArmedAsync(command);
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await CutIfArmedAsync(command);
            return result;
        }

        private async Task CutIfArmedAsync(DbCommand command)
        {
            if (!command.CommandText.Contains("INSERT INTO \"OpenIddictTokens\"", StringComparison.Ordinal)
                || Interlocked.Exchange(ref _armed, 0) == 0)
            {
                return;
            }
            var session = ((NpgsqlConnection)command.Connection!).ProcessID;
            await using var admin = new NpgsqlConnection(TestDatabase.ServerConnectionString);
            await admin.OpenAsync();
            // Waits (up to 10 s) until the session is gone, so the insert surely meets a dead connection.
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid, 10000)", admin);
            terminate.Parameters.AddWithValue("pid", session);
            if (!(bool)(await terminate.ExecuteScalarAsync())!)
            {
                throw new InvalidOperationException("The test could not end the server's database session.");
            }
        }
    }
}
