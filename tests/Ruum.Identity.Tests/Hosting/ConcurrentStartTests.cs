using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed class ConcurrentStartTests
{
    /// <summary>Two servers started at the same moment; the caller disposes them.</summary>
    private static async Task<List<RuumServer>> StartTwoAtOnceAsync(Func<RuumServer> start)
    {
        var starting = Enumerable.Range(0, 2).Select(_ => Task.Run(start)).ToList();
        await Task.WhenAll(starting.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        var servers = starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).ToList();
        if (servers.Count < 2)
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
            Assert.All(starting, s => Assert.Null(s.Exception));
        }
        return servers;
    }

    [Fact]
    public async Task TwoInstances_StartedAtOnceOnADatabaseThatDoesNotExist_CreateItOnceAndServe()
    {
        // The start-up lock lives in the database: it must exist before the lock is taken (scripts/bench.sh starts so).
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString)
        {
            Database = "ruum_t_" + Guid.NewGuid().ToString("N"), Pooling = true,
        }.ConnectionString;

        var servers = await Task.WhenAll(Task.Run(() => RuumServer.StartOn(missing)), Task.Run(() => RuumServer.StartOn(missing)));
        await using var first = servers[0];
        await using var second = servers[1];

        foreach (var server in servers)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.CreatePlainClient().GetAsync("account/login")).StatusCode);
        }
        Assert.Equal(1, await first.WithDatabaseAsync(db => db.Set<User>().CountAsync(u => u.NormalizedEmail == "OWNER@RUUM.TEST")));
    }

    [Fact]
    public async Task TwoInstances_StartedAtOnceOnAnEmptyDatabase_ReadEachOthersFormsAndCookiesAtOnce()
    {
        var database = await TestDatabase.CreateAsync();
        var servers = await StartTwoAtOnceAsync(() => RuumServer.StartOn(database));
        try
        {
            var (first, second) = (servers[0], servers[1]);
            var user = await first.CreateUserAsync();
            var onFirst = new AuthorizationCodeFlow(first) { PassSecondFactorAutomatically = false };
            var onSecond = new AuthorizationCodeFlow(second) { Cookies = onFirst.Cookies, PassSecondFactorAutomatically = false };
            var loginPage = await onFirst.FollowAsync(await onFirst.Browser.GetAsync(onFirst.AuthorizeUrl()));

            // The first instance's anti-forgery cookie and token, posted to the second.
            var posted = await onSecond.SignInWithPageAsync(loginPage, user.Email, TestData.Password);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal("/account/otp", posted.Headers.Location?.OriginalString);
            // The second instance's pending sign-in cookie, and then its code page's form, on the first.
            var otpPage = await onFirst.Browser.GetAsync("account/otp");
            Assert.True(AuthorizationCodeFlow.IsOtpPage(otpPage), $"{otpPage.StatusCode} {otpPage.Headers.Location}");
            var signedIn = await onFirst.FollowAsync(await onFirst.PostOtpAsync(otpPage, second.LatestCode(user.Email)));
            Assert.Equal(HttpStatusCode.OK, (await onFirst.RedeemAsync(onFirst.CodeFrom(signedIn))).StatusCode);
            Assert.Equal(1, await first.WithDatabaseAsync(db => db.DataProtectionKeys.CountAsync()));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwoProductionInstances_StartedAtOnceOnAnEmptyDatabase_ShareOneDataProtectionKey()
    {
        var database = await TestDatabase.CreateAsync();
        var settings = ProductionServer.CompleteSettings();
        settings["ConnectionStrings:Default"] = database;
        var servers = await StartTwoAtOnceAsync(() => ProductionServer.StartAsync(settings).GetAwaiter().GetResult());
        try
        {
            var (first, second) = (servers[0], servers[1]);
            var loginPage = await first.CreateProxiedClient().GetAsync("account/login");
            Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
            var cookies = string.Join("; ", loginPage.Headers.GetValues("Set-Cookie").Select(cookie => cookie.Split(';')[0]));
            using var post = new HttpRequestMessage(HttpMethod.Post, "account/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Input.Email"] = TestData.UniqueEmail(),
                    ["Input.Password"] = TestData.Password,
                    ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await loginPage.Content.ReadAsStringAsync()),
                }),
            };
            post.Headers.Add("Cookie", cookies);

            var answer = await second.CreateProxiedClient().SendAsync(post);

            // An unknown account's answer (the form again), not the 400 of an anti-forgery token the second cannot read.
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(1, await first.WithDatabaseAsync(db => db.DataProtectionKeys.CountAsync()));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwoInstances_StartedAtOnceOnAnEmptyDatabase_MigrateAndSeedOnceAndBothServe()
    {
        var database = await TestDatabase.CreateAsync();

        var starting = Enumerable.Range(0, 2).Select(_ => Task.Run(() => RuumServer.StartOn(database))).ToList();
        await Task.WhenAll(starting.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        var servers = starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).ToList();
        try
        {
            Assert.All(starting, s => Assert.Null(s.Exception));
            foreach (var server in servers)
            {
                using var http = server.CreatePlainClient();
                using var discovery = await http.GetAsync(new Uri(".well-known/openid-configuration", UriKind.Relative));
                Assert.Equal(System.Net.HttpStatusCode.OK, discovery.StatusCode);
            }
            await servers[0].WithDatabaseAsync(async db =>
            {
                Assert.Empty(await db.Set<OpenIddictEntityFrameworkCoreApplication>().GroupBy(a => a.ClientId)
                    .Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<OpenIddictEntityFrameworkCoreScope>().GroupBy(s => s.Name)
                    .Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<Company>().GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<User>().GroupBy(u => u.NormalizedEmail).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<Role>().GroupBy(r => new { r.Scope, r.Name }).Where(g => g.Count() > 1).Select(g => g.Key.Name).ToListAsync());
                Assert.NotEmpty(await db.Set<Company>().ToListAsync());
            });
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
