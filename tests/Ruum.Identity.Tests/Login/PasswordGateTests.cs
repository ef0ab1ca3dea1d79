using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Login;

public sealed class PasswordGateTests
{
    [Fact]
    public async Task Login_AllVerificationSlotsBusy_Returns503WithRetryAfterAndSignsNothingIn()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Passwords:MaxConcurrentVerifications"] = "1",
            ["Ruum:Passwords:VerificationQueueTimeout"] = "00:00:00",
        });
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var gate = server.Services.GetRequiredService<PasswordVerificationGate>();
        var before = await server.WithDatabaseAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == user.Id));

        HttpResponseMessage refused;
        using (await gate.EnterAsync(CancellationToken.None))
        {
            refused = await flow.SignInAsync(user.Email, TestData.Password);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.Contains("ruum.session", StringComparison.Ordinal));
        var stored = await server.WithDatabaseAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == user.Id));
        Assert.Equal(before.PasswordHash, stored.PasswordHash);
        Assert.Equal(before.UpdatedAt, stored.UpdatedAt);

        var accepted = await flow.SignInAsync(user.Email, TestData.Password);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        await server.FlushRefusalCountsAsync();
        var busy = Assert.Single(await server.AuditOfAsync(null, Ruum.Identity.Features.Audit.AuditEventTypes.PasswordBusy));
        Assert.Equal("127.0.0.1", busy.IpAddress);
        Assert.Contains("\"count\":1", busy.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_Always_RunsAtTheConfiguredNiceValueWithoutChangingOtherThreads()
    {
        using var gate = new PasswordVerificationGate(Options.Create(new PasswordOptions { VerificationNice = 7 }));

        var insideGate = await gate.RunAsync(CurrentThreadNice, CancellationToken.None);
        var poolThread = await Task.Run(CurrentThreadNice);

        Assert.Equal(7, insideGate);
        Assert.NotEqual(7, poolThread);
    }

    // Field 19 of /proc/thread-self/stat (after the parenthesised command name) is the thread's nice value.
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
