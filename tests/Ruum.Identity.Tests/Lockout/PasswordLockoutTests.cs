using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Login;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Lockout;

public sealed class PasswordLockoutTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task WrongPassword_FiveTimes_LocksFor15MinutesWithTheSameMessage()
    {
        await using var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server) { PassSecondFactorAutomatically = false };
        for (var i = 0; i < 5; i++)
        {
            var wrong = await flow.SignInAsync(user.Email, "Wrong-Password-" + i);
            Assert.Contains(LoginModel.FailureMessage, await wrong.TextAsync(), StringComparison.Ordinal);
            server.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var locked = await flow.SignInAsync(user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains(LoginModel.FailureMessage, await locked.TextAsync(), StringComparison.Ordinal);
        // No sign-in code: the one mail tells the owner of the lock.
        Assert.Equal("Your Ruum account was locked after failed attempts", Assert.Single(server.MessagesTo(user.Email)).Subject);
        Assert.Contains("password", Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.AccountLocked)).Details, StringComparison.Ordinal);
        var row = (await server.LockoutOfAsync(user.Id))!;
        Assert.Equal(server.Clock.GetUtcNow().AddMinutes(14), row.PasswordLockedUntil!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Contains("\"reason\":\"locked\"", (await server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed)).Last().Details, StringComparison.Ordinal);

        server.Clock.Advance(TimeSpan.FromMinutes(14));
        var after = await flow.SignInAsync(user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/account/otp", after.Headers.Location!.ToString());
        Assert.Single(await server.AuditOfAsync(user.Id, AuditEventTypes.AccountUnlocked));
    }

    [Fact]
    public async Task StrangerLocksTheAccount_OwnerOnTrustedDevice_StillSignsInButTheStrangerDoesNot()
    {
        var user = await _server.CreateUserAsync();
        var owner = await _server.TrustedBrowserAsync(user.Email);
        var stranger = new AuthorizationCodeFlow(_server) { PassSecondFactorAutomatically = false };
        for (var i = 0; i < 5; i++)
        {
            await stranger.SignInAsync(user.Email, "Wrong-Password-" + i);
            _server.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.NotNull((await _server.LockoutOfAsync(user.Id))!.PasswordLockedUntil);

        var signedIn = await owner.SignInAsync(user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        Assert.True(await owner.IsSignedInAsync());
        var refused = await stranger.SignInAsync(user.Email, TestData.Password);
        Assert.Contains(LoginModel.FailureMessage, await refused.TextAsync(), StringComparison.Ordinal);
        Assert.False(await stranger.IsSignedInAsync());

        // The owner's own wrong passwords still count, on that device: five lock it too.
        owner.ForgetSession();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await owner.SignInAsync(user.Email, "Owner-Typo-" + i);
            Assert.Contains(LoginModel.FailureMessage, await wrong.TextAsync(), StringComparison.Ordinal);
            _server.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var lockedDevice = await owner.SignInAsync(user.Email, TestData.Password);
        Assert.Contains(LoginModel.FailureMessage, await lockedDevice.TextAsync(), StringComparison.Ordinal);
        Assert.False(await owner.IsSignedInAsync());
        Assert.Contains("\"reason\":\"locked\"", (await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed)).Last().Details, StringComparison.Ordinal);
        Assert.Equal(2, (await _server.AuditOfAsync(user.Id, AuditEventTypes.AccountLocked)).Count);
    }

    [Fact]
    public async Task WrongPassword_ThenAtOnceTheRightOne_IsRefusedUntilTheDelayPasses()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server) { PassSecondFactorAutomatically = false };
        await flow.SignInAsync(user.Email, "Wrong-Password-1");
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        await flow.SignInAsync(user.Email, "Wrong-Password-2");

        var tooSoon = await flow.SignInAsync(user.Email, TestData.Password);
        Assert.Contains(LoginModel.FailureMessage, await tooSoon.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await _server.LockoutOfAsync(user.Id))!.FailedPasswords);
        Assert.Contains("\"reason\":\"delayed\"", (await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed)).Last().Details, StringComparison.Ordinal);

        _server.Clock.Advance(TimeSpan.FromSeconds(2));
        var allowed = await flow.SignInAsync(user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.Equal(0, (await _server.LockoutOfAsync(user.Id))!.FailedPasswords);
    }

    [Fact]
    public async Task UnknownEmail_IsAuditedAsAHashNeverTheAddress()
    {
        var email = TestData.UniqueEmail("nobody");
        var flow = new AuthorizationCodeFlow(_server);

        var response = await flow.SignInAsync(email, TestData.Password);

        Assert.Contains(LoginModel.FailureMessage, await response.TextAsync(), StringComparison.Ordinal);
        var rows = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.Type == AuditEventTypes.SignInFailed && e.UserId == null).ToListAsync());
        Assert.DoesNotContain(rows, r => r.Details!.Contains(email, StringComparison.OrdinalIgnoreCase) || r.Details.Contains("nobody", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Details!.Contains("unknown_email", StringComparison.Ordinal) && r.Details.Contains("email_hash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisabledUser_RightPassword_GetsTheSameMessageAndNoCode()
    {
        var user = await _server.CreateUserAsync(enabled: false);
        var flow = new AuthorizationCodeFlow(_server);

        var response = await flow.SignInAsync(user.Email, TestData.Password);

        Assert.Contains(LoginModel.FailureMessage, await response.TextAsync(), StringComparison.Ordinal);
        Assert.Empty(_server.MessagesTo(user.Email));
        Assert.Contains("disabled", Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed)).Details, StringComparison.Ordinal);
    }
}
