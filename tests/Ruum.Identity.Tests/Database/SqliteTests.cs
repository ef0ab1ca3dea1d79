using System.Net;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Database;

/// <summary>The embedded default: the same flows on SQLite, migrated at start-up.</summary>
public sealed class SqliteTests : IAsyncLifetime
{
    private RuumServer _server = null!;

    public Task InitializeAsync()
    {
        _server = RuumServer.StartOnSqlite();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Sqlite_AuthorizationCodeRefreshAndIntrospection_Work()
    {
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);

        var refreshed = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var accessToken = (await refreshed.JsonAsync()).GetProperty("access_token").GetString()!;
        Assert.True((await _server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());

        var reuse = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal("invalid_grant", (await reuse.JsonAsync()).GetProperty("error").GetString());
        Assert.False((await _server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Sqlite_WrongPasswordAndWrongCode_AreCountedOnTheLockoutRow()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        Assert.Contains(Features.Login.LoginModel.FailureMessage, await (await flow.SignInAsync(user.Email, "wrong-password")).TextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (await _server.LockoutOfAsync(user.Id))!.FailedPasswords);
        _server.Clock.Advance(TimeSpan.FromMinutes(1));

        var page = await flow.ReachOtpPageAsync(user.Email);
        var code = _server.LatestCode(user.Email);
        await flow.PostOtpAsync(page, code == "000000" ? "111111" : "000000");

        var row = (await _server.LockoutOfAsync(user.Id))!;
        Assert.Equal((0, 1), (row.FailedPasswords, row.FailedSecondFactors));
        Assert.Equal(HttpStatusCode.Redirect, (await flow.PostOtpAsync(page, code)).StatusCode);
        Assert.Equal(0, (await _server.LockoutOfAsync(user.Id))!.FailedSecondFactors);
    }

    [Fact]
    public async Task Sqlite_ClientCredentials_IssueAndIntrospect()
    {
        var token = (await _server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;
        Assert.True((await _server.IntrospectAsync(token)).GetProperty("active").GetBoolean());
    }
}
