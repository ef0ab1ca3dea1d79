using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

public sealed class RevokeCommandTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private RuumServer Server => fixture.Server;

    [Fact]
    public async Task RevokeUser_EndsRefreshTokensTrustedDevicesAndAccessTokens_AndIsAudited()
    {
        var user = await Server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(Server) { TrustDevice = true };
        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Assert.True((await Server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());
        var stamp = await StampOfAsync(user.Id);

        var (exitCode, output) = await RunAsync("revoke", "--user", user.Email.ToUpperInvariant());

        Assert.Equal(0, exitCode);
        Assert.Contains("1 users signed out everywhere, 1 tokens and 1 authorizations revoked, 1 trusted devices removed", output, StringComparison.Ordinal);
        Assert.NotEqual(stamp, await StampOfAsync(user.Id));
        Assert.False((await Server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());
        using var refresh = await Server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal(0, await Server.WithDatabaseAsync(db => db.Set<TrustedDevice>().CountAsync(d => d.UserId == user.Id && d.RevokedAt == null)));
        var audited = await Server.WithDatabaseAsync(db => db.Set<AuditEvent>().Where(e => e.Type == AuditEventTypes.IncidentRevoked)
            .Select(e => e.Details!).ToListAsync());
        Assert.Single(audited, details => details.Contains(user.Email.ToUpperInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokeUser_UnknownEmail_FailsClearlyAndChangesNothing()
    {
        var before = await CountsAsync();

        var (exitCode, output) = await RunAsync("revoke", "--user", TestData.UniqueEmail("nobody"));

        Assert.Equal(2, exitCode);
        Assert.Contains("No user has the email address", output, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task RevokeClient_UnknownClient_FailsClearlyAndChangesNothing()
    {
        var before = await CountsAsync();

        var (exitCode, output) = await RunAsync("revoke", "--client", "no-such-client");

        Assert.Equal(2, exitCode);
        Assert.Contains("No client has the client_id no-such-client", output, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task RevokeClient_EndsItsAccessTokensAtIntrospection()
    {
        var secret = "incident-secret-" + Guid.NewGuid().ToString("N");
        var clientId = await Server.CreateServiceClientAsync(secret);
        var accessToken = (await Server.ClientCredentialsAsync(clientId, secret)).GetProperty("access_token").GetString()!;
        Assert.True((await Server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());
        Server.Clock.Advance(TimeSpan.FromSeconds(1));

        var (exitCode, _) = await RunAsync("revoke", "--client", clientId);

        Assert.Equal(0, exitCode);
        Assert.False((await Server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean());
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await RevokeCommand.RunAsync(Server.Services, args, output);
        return (exitCode, output.ToString());
    }

    private Task<string> StampOfAsync(Guid userId) =>
        Server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());

    private Task<(int Events, int Cutoffs, int ValidTokens, string Stamps)> CountsAsync() => Server.WithDatabaseAsync(async db => (
        await db.Set<AuditEvent>().CountAsync(),
        await db.Set<AccessTokenCutoff>().CountAsync(),
        await db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Status == "valid"),
        string.Join(',', await db.Set<User>().OrderBy(u => u.Id).Select(u => u.SecurityStamp).ToListAsync())));
}
