using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// The pepper, the hashing key, the client-secret key and the encryption key each carry a key id: a new key is added
/// beside the old one (a restart with new settings, as a deployment would), values made with the old one keep working
/// (and passwords and client secrets are rehashed on use), and once the old key is removed its values fail cleanly.
/// </summary>
public sealed class ServerSecretRotationTests
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static readonly string NewSecret = "a-new-server-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    [Fact]
    public async Task Pepper_NewKeyBesideTheOld_OldPasswordsSignInAndAreRehashedWithTheNewKey()
    {
        var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var legacy = await server.CreateUserAsync();
        Assert.StartsWith("1:$2a$", user.PasswordHash, StringComparison.Ordinal);
        // As stored before hashes named their key.
        await server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == legacy.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.PasswordHash, legacy.PasswordHash[2..])));
        await server.DisposeAsync();

        await using var restarted = RuumServer.Restart(server, new Dictionary<string, string?>
        {
            ["Ruum:Passwords:Pepper"] = NewSecret,
            ["Ruum:Passwords:PepperId"] = "2",
            ["Ruum:Passwords:PreviousPeppers:1"] = PasswordOptions.DevelopmentPepper,
        });

        foreach (var signingIn in new[] { user, legacy })
        {
            Assert.Equal("/account/otp", (await PasswordStepAsync(restarted, signingIn.Email)).Headers.Location?.OriginalString);
            Assert.StartsWith("2:$2a$", await PasswordHashOfAsync(restarted, signingIn.Id), StringComparison.Ordinal);
        }
        Assert.Equal("/account/otp", (await PasswordStepAsync(restarted, user.Email)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Pepper_OldKeyRemoved_ItsPasswordsFailLikeAWrongOneAndStayAsTheyWere()
    {
        var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        Assert.StartsWith("1:", user.PasswordHash, StringComparison.Ordinal);
        await server.DisposeAsync();

        await using var restarted = RuumServer.Restart(server, new Dictionary<string, string?>
        {
            ["Ruum:Passwords:Pepper"] = NewSecret,
            ["Ruum:Passwords:PepperId"] = "2",
        });
        var response = await PasswordStepAsync(restarted, user.Email);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Email or password is incorrect.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(user.PasswordHash, await PasswordHashOfAsync(restarted, user.Id));
    }

    [Fact]
    public async Task ClientSecret_NewKeyBesideTheOld_StillAuthenticatesAndIsRehashedWithTheNewKey()
    {
        var server = await RuumServer.StartAsync();
        Assert.StartsWith("1:" + ClientSecretHasher.Prefix, await ClientSecretOfAsync(server, "dev-service"), StringComparison.Ordinal);
        await server.DisposeAsync();

        await using var restarted = RuumServer.Restart(server, new Dictionary<string, string?>
        {
            ["Ruum:Clients:SecretHashKey"] = NewSecret,
            ["Ruum:Clients:SecretHashKeyId"] = "2",
            ["Ruum:Clients:PreviousSecretHashKeys:1"] = ClientOptions.DevelopmentSecretHashKey,
        });

        await restarted.ClientCredentialsAsync();
        Assert.StartsWith("2:" + ClientSecretHasher.Prefix, await ClientSecretOfAsync(restarted, "dev-service"), StringComparison.Ordinal);
        await restarted.ClientCredentialsAsync();
    }

    [Fact]
    public async Task ClientSecret_OldKeyRemoved_IsInvalidClientAndStaysAsItWas()
    {
        var server = await RuumServer.StartAsync();
        var before = await ClientSecretOfAsync(server, "dev-service");
        Assert.StartsWith("1:", before, StringComparison.Ordinal);
        await server.DisposeAsync();

        await using var restarted = RuumServer.Restart(server, new Dictionary<string, string?>
        {
            ["Ruum:Clients:SecretHashKey"] = NewSecret,
            ["Ruum:Clients:SecretHashKeyId"] = "2",
        });
        using var response = await restarted.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
        }, ("dev-service", "dev-service-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(before, await ClientSecretOfAsync(restarted, "dev-service"));
    }

    [Fact]
    public async Task EncryptionKey_NewKeyBesideTheOld_OldRefreshTokensRedeem_AndAfterItsRemovalAreInvalidGrant()
    {
        var oldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Signing:EncryptionKey"] = oldKey });
        var first = await RefreshTokenAsync(server);
        var second = await RefreshTokenAsync(server);
        Assert.Equal("1", Jwt.Header(first).GetProperty("kid").GetString());
        await server.DisposeAsync();

        var withBoth = RuumServer.Restart(server, new Dictionary<string, string?>
        {
            ["Ruum:Signing:EncryptionKey"] = newKey,
            ["Ruum:Signing:EncryptionKeyId"] = "2",
            ["Ruum:Signing:PreviousEncryptionKeys:1"] = oldKey,
        });
        using var redeemed = await withBoth.RefreshAsync(first);
        var json = await redeemed.JsonAsync();
        Assert.True(redeemed.IsSuccessStatusCode, json.ToString());
        var rolled = json.GetProperty("refresh_token").GetString()!;
        Assert.Equal("2", Jwt.Header(rolled).GetProperty("kid").GetString());
        await withBoth.DisposeAsync();

        await using var newOnly = RuumServer.Restart(withBoth, new Dictionary<string, string?> { ["Ruum:Signing:PreviousEncryptionKeys:1"] = null });
        using var refused = await newOnly.RefreshAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_grant", (await refused.JsonAsync()).GetProperty("error").GetString());
        using var current = await newOnly.RefreshAsync(rolled);
        Assert.True(current.IsSuccessStatusCode, (await current.JsonAsync()).ToString());
    }

    [Fact]
    public async Task HashingKey_NewKeyBesideTheOld_TrustedDeviceStillSkipsTheCode_AndAfterItsRemovalTheCodeIsAsked()
    {
        var server = await RuumServer.StartAsync();
        var user = await server.CreateUserAsync();
        var trusting = Browser(server);
        trusting.TrustDevice = true;
        await trusting.GetCodeAsync(user.Email, TestData.Password);
        var device = trusting.Cookies.GetAllCookies().Single(c => c.Name == "ruum.device");
        Assert.StartsWith("1:", (await DeviceOfAsync(server, user.Id)).TokenHash, StringComparison.Ordinal);
        await server.DisposeAsync();

        var withBoth = RuumServer.Restart(server, new Dictionary<string, string?>
        {
            ["Ruum:Otp:HashingKey"] = NewSecret,
            ["Ruum:Otp:HashingKeyId"] = "2",
            ["Ruum:Otp:PreviousHashingKeys:1"] = OtpOptions.DevelopmentHashingKey,
        });
        var trusted = await PasswordStepAsync(withBoth, user.Email, device);
        Assert.Equal(HttpStatusCode.Redirect, trusted.StatusCode);
        Assert.NotEqual("/account/otp", trusted.Headers.Location?.OriginalString);
        await withBoth.DisposeAsync();

        await using var newOnly = RuumServer.Restart(withBoth, new Dictionary<string, string?> { ["Ruum:Otp:PreviousHashingKeys:1"] = null });
        var asked = await PasswordStepAsync(newOnly, user.Email, device);
        Assert.Equal("/account/otp", asked.Headers.Location?.OriginalString);
        var rejection = Assert.Single(await newOnly.AuditOfAsync(user.Id, AuditEventTypes.DeviceRejected));
        Assert.Contains("\"reason\":\"unknown_token\"", rejection.Details, StringComparison.Ordinal);
    }

    /// <summary>The login form alone: a redirect to the code page means the password was right.</summary>
    private static async Task<HttpResponseMessage> PasswordStepAsync(RuumServer server, string email, System.Net.Cookie? device = null)
    {
        var flow = Browser(server);
        flow.PassSecondFactorAutomatically = false;
        if (device is not null)
        {
            flow.Cookies.Add(device);
        }
        return await flow.SignInAsync(email, TestData.Password);
    }

    private static AuthorizationCodeFlow Browser(RuumServer server)
    {
        var flow = new AuthorizationCodeFlow(server);
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(ChromeOnWindows);
        return flow;
    }

    private static async Task<string> RefreshTokenAsync(RuumServer server) =>
        (await new AuthorizationCodeFlow(server).GetTokensAsync(Features.Seed.DevelopmentSeed.MemberEmail, Features.Seed.DevelopmentSeed.Password))
            .GetProperty("refresh_token").GetString()!;

    private static Task<string> PasswordHashOfAsync(RuumServer server, Guid userId) =>
        server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync());

    private static Task<string?> ClientSecretOfAsync(RuumServer server, string clientId) =>
        server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().Where(a => a.ClientId == clientId)
            .Select(a => a.ClientSecret).SingleAsync());

    private static Task<TrustedDevice> DeviceOfAsync(RuumServer server, Guid userId) =>
        server.WithDatabaseAsync(db => db.Set<TrustedDevice>().AsNoTracking().SingleAsync(d => d.UserId == userId));
}
