using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Audit;

public sealed class AuditLogTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task SignIn_RecordsWhoFromWhereForWhichClient_AndNoSecrets()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd("AuditTest/1.0");

        await flow.GetCodeAsync(user.Email, TestData.Password);

        var events = await _server.AuditOfAsync(user.Id);
        Assert.Equal([AuditEventTypes.CodeSent, AuditEventTypes.CodeVerified, AuditEventTypes.SignInSucceeded], events.Select(e => e.Type));
        var signIn = events[^1];
        Assert.Equal(TestData.SpaClient, signIn.ClientId);
        Assert.Equal("127.0.0.1", signIn.IpAddress);
        Assert.Equal("AuditTest/1.0", signIn.UserAgent);
        Assert.Equal(AuditOutcomes.Success, signIn.Outcome);
        Assert.Equal(_server.Clock.GetUtcNow(), signIn.OccurredAt, TimeSpan.FromMilliseconds(1));
        var code = _server.LatestCode(user.Email);
        Assert.DoesNotContain(events, e => (e.Details ?? "").Contains(code, StringComparison.Ordinal)
            || (e.Details ?? "").Contains(TestData.Password, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not-a-registered-client")]
    [InlineData("x")]
    public async Task SignIn_ReturnUrlNamingAnUnregisteredClient_StoresNoClientId(string forged)
    {
        var user = await _server.CreateUserAsync();
        var returnUrl = "/connect/authorize?client_id=" + forged + "&response_type=code";

        await new AuthorizationCodeFlow(_server).SignInAsync(user.Email, "Wrong-Password-0",
            "account/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        await new AuthorizationCodeFlow(_server).SignInAsync(user.Email, "Wrong-Password-0",
            "account/login?ReturnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=" + TestData.SpaClient));

        var failures = await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed);
        Assert.Equal(2, failures.Count);
        Assert.Null(failures[0].ClientId);
        Assert.Equal(TestData.SpaClient, failures[1].ClientId);
    }

    [Fact]
    public async Task Details_FarLongerThanTheColumn_AreStoredAsValidJson()
    {
        var user = await _server.CreateUserAsync();
        var huge = new string('a', 5000) + "\"\u00e9\U0001F600";

        await _server.WithServicesAsync(services => services.GetRequiredService<AuditLog>().RecordAsync(
            AuditEventTypes.SignInFailed, AuditOutcomes.Failure, user.Id, new { reason = "test", label = huge, labels = new[] { huge, huge } }));
        await _server.WithServicesAsync(services => services.GetRequiredService<AuditLog>().RecordAsync(
            AuditEventTypes.SignInFailed, AuditOutcomes.Failure, user.Id, Enumerable.Range(0, 500).ToDictionary(i => "key" + i, i => i)));

        var rows = await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.InRange(row.Details!.Length, 2, AuditEvent.MaxDetailsLength));
        using var shortened = System.Text.Json.JsonDocument.Parse(rows[0].Details!);
        Assert.Equal("test", shortened.RootElement.GetProperty("reason").GetString());
        Assert.StartsWith("aaaa", shortened.RootElement.GetProperty("label").GetString(), StringComparison.Ordinal);
        using var marker = System.Text.Json.JsonDocument.Parse(rows[1].Details!);
        Assert.True(marker.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task SignOut_IsRecorded()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        await flow.SignOutAsync();

        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignedOut));
        Assert.False(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task ActivityPage_ShowsOnlyTheUsersOwnEvents()
    {
        var user = await _server.CreateUserAsync();
        var other = await _server.CreateUserAsync();
        await new AuthorizationCodeFlow(_server).SignInAsync(other.Email, "Wrong-Password-0");
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);

        var response = await flow.Browser.GetAsync("account/activity");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.TextAsync();
        Assert.Contains("data-event-type=\"sign_in.succeeded\"", html, StringComparison.Ordinal);
        Assert.Contains("Sign-in code sent", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sign_in.failed", html, StringComparison.Ordinal);
        Assert.Equal((await _server.AuditOfAsync(user.Id)).Count, html.Split("data-event-type=").Length - 1);
        Assert.Equal(HttpStatusCode.Redirect, (await new AuthorizationCodeFlow(_server).Browser.GetAsync("account/activity")).StatusCode);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task AuditEvents_UpdatedBehindTheAppsBack_AreRefusedByTheDatabase(string provider)
    {
        await using var server = provider == "Sqlite" ? RuumServer.StartOnSqlite() : await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        await new AuthorizationCodeFlow(server).SignInAsync(user.Email, "Wrong-Password-0");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => server.WithDatabaseAsync(db =>
            db.Set<AuditEvent>().Where(e => e.UserId == user.Id).ExecuteUpdateAsync(set => set.SetProperty(e => e.Outcome, AuditOutcomes.Success))));

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        Assert.All(await server.AuditOfAsync(user.Id), e => Assert.Equal(AuditOutcomes.Failure, e.Outcome));
        Assert.Equal(1, await server.WithDatabaseAsync(db => db.Set<AuditEvent>().Where(e => e.UserId == user.Id).ExecuteDeleteAsync()));
    }

    [Fact]
    public async Task Retention_DeletesOnlyRowsOlderThanTheRetentionPeriod_InBatches()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Audit:RetentionDays"] = "30",
            ["Ruum:Audit:DeleteBatchSize"] = "2",
        });
        var user = await server.CreateUserAsync();
        var now = server.Clock.GetUtcNow();
        await server.WithDatabaseAsync(async db =>
        {
            for (var i = 0; i < 5; i++)
            {
                db.Add(new AuditEvent { OccurredAt = now.AddDays(-31 - i), Type = AuditEventTypes.SignInFailed, Outcome = AuditOutcomes.Failure, UserId = user.Id });
            }
            db.Add(new AuditEvent { OccurredAt = now.AddDays(-29), Type = AuditEventTypes.SignInSucceeded, Outcome = AuditOutcomes.Success, UserId = user.Id });
            await db.SaveChangesAsync();
        });

        var deleted = 0;
        await server.WithServicesAsync(async services =>
            deleted = await services.GetRequiredService<AuditRetention>().DeleteExpiredAsync(CancellationToken.None));

        Assert.Equal(5, deleted);
        Assert.Equal(AuditEventTypes.SignInSucceeded, Assert.Single(await server.AuditOfAsync(user.Id)).Type);
        Assert.Contains(server.Services.GetServices<IHostedService>(), s => s.GetType().Name == "RetentionJob");
    }

    [Fact]
    public async Task Retention_ExpiredPendingSignInsCodesAndDevices_AreDeletedADayAfterExpiry()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        await new AuthorizationCodeFlow(server) { TrustDevice = true }.GetCodeAsync(user.Email, TestData.Password);
        await new AuthorizationCodeFlow(server).ReachOtpPageAsync(user.Email);
        server.Clock.Advance(TimeSpan.FromDays(32));
        var live = await server.CreateUserAsync();
        await new AuthorizationCodeFlow(server) { TrustDevice = true }.GetCodeAsync(live.Email, TestData.Password);

        // The background job may already have swept when the clock moved; sweeping again is harmless.
        await server.WithServicesAsync(async services =>
        {
            foreach (var sweep in services.GetServices<IRetentionSweep>())
            {
                await sweep.DeleteExpiredAsync(CancellationToken.None);
            }
        });

        Assert.Empty(await server.EmailCodesOfAsync(user.Id));
        Assert.Single(await server.EmailCodesOfAsync(live.Id));
        var devices = await server.WithDatabaseAsync(db => db.Set<Ruum.Identity.Features.TrustedDevices.TrustedDevice>().AsNoTracking().ToListAsync());
        Assert.Equal(live.Id, Assert.Single(devices).UserId);
        Assert.NotEmpty(await server.AuditOfAsync(user.Id));
    }
}
