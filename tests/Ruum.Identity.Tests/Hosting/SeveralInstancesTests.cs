using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Login;
using Ruum.Identity.Tests.Otp;
using Ruum.Identity.Tests.Sessions;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// Three instances on one database, as behind a load balancer: any step of a flow may land on any of them, and what
/// one instance changes holds on the others at once, or after the cache window the README states (at most 30 s).
/// One browser across instances is one cookie container (cookies ignore the port). Database signing keys (none
/// configured), so a rotation is the database's.
/// </summary>
public sealed class SeveralInstancesTests(SeveralInstancesTests.Instances instances) : IClassFixture<SeveralInstancesTests.Instances>
{
    private RuumServer First => instances.First;

    private RuumServer Second => instances.Second;

    private RuumServer Third => instances.Third;

    [Fact]
    public async Task SignIn_PasswordOnOneCodeOnASecondRedeemOnAThirdRefreshOnTheFirst_Works()
    {
        var user = await First.CreateUserAsync();
        var onFirst = new AuthorizationCodeFlow(First) { PassSecondFactorAutomatically = false };
        var onSecond = new AuthorizationCodeFlow(Second) { Cookies = onFirst.Cookies };
        var loginPage = await onFirst.FollowAsync(await onFirst.Browser.GetAsync(onFirst.AuthorizeUrl()));
        var afterPassword = await onFirst.SignInWithPageAsync(loginPage, user.Email, TestData.Password);
        Assert.Equal("/account/otp", afterPassword.Headers.Location?.OriginalString);

        var otpPage = await onSecond.Browser.GetAsync("account/otp");
        Assert.True(AuthorizationCodeFlow.IsOtpPage(otpPage), "The second instance did not continue the sign-in the first began.");
        // The second instance writes its mail where the first does (same settings).
        var code = onSecond.CodeFrom(await onSecond.FollowAsync(await onSecond.PostOtpAsync(otpPage, First.LatestCode(user.Email))));
        var redeemed = await new AuthorizationCodeFlow(Third).RedeemAsync(code, onFirst.Pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var tokens = await redeemed.JsonAsync();
        using var refreshed = await First.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var accessToken = (await refreshed.JsonAsync()).GetProperty("access_token").GetString()!;
        Assert.True(await Second.IsActiveAsync(accessToken));
        Assert.Equal(user.Id.ToString(), Jwt.Payload(accessToken).GetProperty("sub").GetString());
        // The code was redeemed once, whichever instance sees it next.
        using var replay = await new AuthorizationCodeFlow(Second).RedeemAsync(code, onFirst.Pkce.Verifier);
        Assert.Equal("invalid_grant", (await replay.JsonAsync()).GetProperty("error").GetString());
        Assert.Single(await First.AuditOfAsync(user.Id, AuditEventTypes.SignInSucceeded));
    }

    [Fact]
    public async Task LoginForm_ServedByOneInstance_IsAcceptedWhenPostedToAnother()
    {
        var user = await First.CreateUserAsync();
        var onFirst = new AuthorizationCodeFlow(First);
        var onSecond = new AuthorizationCodeFlow(Second) { Cookies = onFirst.Cookies, PassSecondFactorAutomatically = false };
        var loginPage = await onFirst.FollowAsync(await onFirst.Browser.GetAsync(onFirst.AuthorizeUrl()));

        // The anti-forgery cookie and token come from the first instance; the second reads them with the shared key ring.
        var posted = await onSecond.SignInWithPageAsync(loginPage, user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/account/otp", posted.Headers.Location?.OriginalString);
        Assert.Equal(Second.BaseAddress.Authority, posted.RequestMessage!.RequestUri!.Authority);
        Assert.Single(First.MessagesTo(user.Email));
    }

    [Fact]
    public async Task TrustedDeviceCookie_FromOneInstance_SkipsTheCodeOnAnother_UntilTheDeviceIsRemovedOnTheFirst()
    {
        var user = await First.CreateUserAsync();
        var trusted = await First.TrustedBrowserAsync(user.Email);
        var onSecond = new AuthorizationCodeFlow(Second) { Cookies = trusted.Cookies };
        onSecond.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(Reauthentication.ChromeOnWindows);
        var mails = First.MessagesTo(user.Email).Count;

        var skipped = await onSecond.PassPasswordAsync(user.Email);

        Assert.StartsWith(TestData.SpaRedirect, skipped.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(mails, First.MessagesTo(user.Email).Count);
        Assert.Single(await First.AuditOfAsync(user.Id, AuditEventTypes.DeviceUsed));

        // Removed on the first instance (the session the second one made is valid there too): the second asks for the code.
        var devicesPage = await trusted.Browser.GetAsync("account/devices");
        Assert.Equal(HttpStatusCode.OK, devicesPage.StatusCode);
        var device = await First.WithDatabaseAsync(db => db.Set<TrustedDevice>().SingleAsync(d => d.UserId == user.Id));
        var removed = await trusted.Browser.PostAsync("account/devices?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = device.Id.ToString(),
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await devicesPage.Content.ReadAsStringAsync()),
        }));
        Assert.Contains("The device was removed.", await removed.TextAsync(), StringComparison.Ordinal);
        await onSecond.SignOutAsync();

        await onSecond.ReachOtpPageAsync(user.Email);
        Assert.Contains("\"reason\":\"revoked\"", Assert.Single(await First.AuditOfAsync(user.Id, AuditEventTypes.DeviceRejected)).Details,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lockout_FromWrongPasswordsOnTwoInstances_HoldsOnEveryInstance()
    {
        var user = await First.CreateUserAsync();
        var onFirst = new AuthorizationCodeFlow(First) { PassSecondFactorAutomatically = false };
        var onSecond = new AuthorizationCodeFlow(Second) { PassSecondFactorAutomatically = false };
        for (var i = 0; i < 5; i++)
        {
            var wrong = await (i % 2 == 0 ? onFirst : onSecond).SignInAsync(user.Email, "Wrong-Password-" + i);
            Assert.Contains(LoginModel.FailureMessage, await wrong.TextAsync(), StringComparison.Ordinal);
            instances.Advance(TimeSpan.FromMinutes(1)); // past the growing delay between attempts
        }

        foreach (var server in new[] { First, Second, Third })
        {
            var refused = await new AuthorizationCodeFlow(server) { PassSecondFactorAutomatically = false }.SignInAsync(user.Email, TestData.Password);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains(LoginModel.FailureMessage, await refused.TextAsync(), StringComparison.Ordinal);
        }
        Assert.NotNull((await First.LockoutOfAsync(user.Id))!.PasswordLockedUntil);
        Assert.Single(await First.AuditOfAsync(user.Id, AuditEventTypes.AccountLocked));
        Assert.Empty(await First.SessionsOfAsync(user.Id));
    }

    [Fact]
    public async Task RefreshToken_RevokedOnOneInstance_IsRefusedByAnother()
    {
        var user = await First.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(First).GetTokensAsync(user.Email, TestData.Password);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        using var revoked = await First.CreatePlainClient().PostFormAsync("connect/revoke", new Dictionary<string, string>
        {
            ["token"] = refreshToken,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = TestData.SpaClient,
        });

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("invalid_grant", await Second.RefreshErrorAsync(refreshToken, TestData.SpaClient));
        Assert.Equal("invalid_grant", await Third.RefreshErrorAsync(refreshToken, TestData.SpaClient));
    }

    [Fact]
    public async Task ClientSecret_RotatedOnOneInstance_IsRefusedByAnotherOnceItsCacheWindowHasPassed()
    {
        var old = ServiceClients.NewSecret();
        var clientId = await First.CreateServiceClientAsync(old);
        await Second.ClientCredentialsAsync(clientId, old); // the second instance now holds the client in memory
        var admin = First.AdminHttp(await First.AutomationTokenAsync());

        using var rotation = await admin.PostAsync(new Uri($"api/admin/clients/{clientId}/secret", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var secret = (await rotation.JsonAsync()).GetProperty("clientSecret").GetString()!;

        Assert.Equal("invalid_client", await ErrorAsync(await ClientCredentialsAsync(First, clientId, old)));
        instances.Advance(new ClientOptions().CacheDuration);
        Assert.Equal("invalid_client", await ErrorAsync(await ClientCredentialsAsync(Second, clientId, old)));
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(Second, clientId, secret)).StatusCode);
    }

    [Fact]
    public async Task SigningKey_RotatedNowOnOneInstance_SignsOnEveryInstanceAndTheOldTokensFailOnceTheKeySetIsReadAgain()
    {
        var oldToken = await AccessTokenAsync(Second);
        Assert.True(await Second.IsActiveAsync(oldToken));
        using var output = new StringWriter();

        Assert.Equal(0, await SigningKeysCommand.RunAsync(First.Services, ["keys", "rotate", "--now"], output));
        instances.Advance(SigningKeyRing.RefreshInterval);

        var newKid = Kid(await AccessTokenAsync(First));
        Assert.NotEqual(Kid(oldToken), newKid);
        foreach (var server in new[] { Second, Third })
        {
            Assert.Equal(newKid, Kid(await AccessTokenAsync(server)));
            Assert.Equal([newKid], await KidsAsync(server));
            Assert.False(await server.IsActiveAsync(oldToken));
            // The admin API trusts the new key too (it validates the server's own tokens apart from the endpoints).
            using var admin = server.AdminHttp(await server.AutomationTokenAsync());
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("api/admin/clients", UriKind.Relative))).StatusCode);
        }
    }

    private static Task<HttpResponseMessage> ClientCredentialsAsync(RuumServer server, string clientId, string secret) =>
        server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
        }, (clientId, secret));

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return (await response.JsonAsync()).TryGetProperty("error", out var error) ? error.GetString() : null;
        }
    }

    private static async Task<string> AccessTokenAsync(RuumServer server) =>
        (await server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;

    private static string Kid(string token) => Jwt.Header(token).GetProperty("kid").GetString()!;

    private static async Task<string[]> KidsAsync(RuumServer server)
    {
        using var jwks = JsonDocument.Parse(await server.CreatePlainClient().GetStringAsync(new Uri(".well-known/jwks", UriKind.Relative)));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }

    /// <summary>Three instances on one database, started one after the other (a deployment's usual order).</summary>
    public sealed class Instances : IAsyncLifetime
    {
        public RuumServer First { get; private set; } = null!;

        public RuumServer Second { get; private set; } = null!;

        public RuumServer Third { get; private set; } = null!;

        /// <summary>Time passes for every instance alike (each has its own clock).</summary>
        public void Advance(TimeSpan by)
        {
            foreach (var server in new[] { First, Second, Third })
            {
                server.Clock.Advance(by);
            }
        }

        public async Task InitializeAsync()
        {
            // One issuer for all, as behind a load balancer (each would otherwise name its own port).
            First = await RuumServer.StartAsync(new Dictionary<string, string?>
            {
                ["Ruum:Signing:Keys:0:Pem"] = null,
                ["Ruum:Tokens:Issuer"] = "https://id.ruum.example/",
            });
            Second = RuumServer.StartSecondInstance(First);
            Third = RuumServer.StartSecondInstance(First);
        }

        public async Task DisposeAsync()
        {
            foreach (var server in new[] { Third, Second, First })
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }
        }
    }
}
