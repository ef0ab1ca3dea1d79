using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// Issue 28, "Surviving faults": PostgreSQL goes away while several clients run whole flows (sign-in, code redemption,
/// refresh) through the relay, and comes back. Every response meanwhile is a fast 503 (or OAuth temporarily_unavailable),
/// the flows succeed again without a restart, and no row is left half written.
/// </summary>
public sealed class DatabaseOutageUnderLoadTests
{
    private const int Clients = 3;

    [Fact]
    public async Task DatabaseCutUnderLoad_Flows_FailFastRecoverAndLeaveNoHalfWrittenRow()
    {
        var cluster = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        await using var proxy = new CuttableProxy(cluster.Host!, cluster.Port);
        var database = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateAsync()) { Port = proxy.Port };
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = database.ConnectionString });
        var users = new List<Guid>();
        var emails = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            var user = await server.CreateUserAsync();
            users.Add(user.Id);
            emails.Add(user.Email);
        }
        var bad = new ConcurrentBag<string>();
        var signIns = new ConcurrentDictionary<Guid, int>();
        var completed = 0;
        using var stop = new CancellationTokenSource();

        async Task LoopAsync(int index)
        {
            while (!stop.IsCancellationRequested)
            {
                if (await RunFlowAsync(server, emails[index], bad, () => signIns.AddOrUpdate(users[index], 1, (_, n) => n + 1)))
                {
                    Interlocked.Increment(ref completed);
                }
            }
        }

        var loops = Enumerable.Range(0, Clients).Select(i => Task.Run(() => LoopAsync(i))).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref completed) >= Clients, bad);
        proxy.Cut();
        var beforeRestore = Volatile.Read(ref completed);
        // Let the load meet the outage: every client runs at least a few requests against the cut relay.
        await WaitUntilAsync(() => !bad.IsEmpty || Volatile.Read(ref _failedFast) >= Clients * 3, bad);
        proxy.Restore();
        await WaitUntilAsync(() => Volatile.Read(ref completed) >= beforeRestore + Clients * 2, bad);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.True(bad.IsEmpty, string.Join("\n", bad));
        Assert.True(Volatile.Read(ref _failedFast) > 0, "No request met the outage.");
        await server.WithDatabaseAsync(async db =>
        {
            var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
                .Select(t => new { t.Type, t.Status, AuthorizationId = t.Authorization!.Id }).ToListAsync();
            var redeemedCodes = tokens.Where(t => t.Type == TokenTypeIdentifiers.Private.AuthorizationCode && t.Status == Statuses.Redeemed).ToList();
            Assert.NotEmpty(redeemedCodes);
            foreach (var code in redeemedCodes)
            {
                Assert.Contains(tokens, t => t.AuthorizationId == code.AuthorizationId && t.Type != TokenTypeIdentifiers.Private.AuthorizationCode);
            }
            foreach (var (userId, count) in signIns)
            {
                var events = await db.Set<AuditEvent>().CountAsync(e => e.UserId == userId && e.Type == AuditEventTypes.SignInSucceeded);
                Assert.True(events >= count, $"{count} sign-ins succeeded, {events} audited.");
            }
        });
    }

    private int _failedFast;

    /// <summary>One whole flow in a fresh browser; false when a step failed fast (the only failure allowed).</summary>
    private async Task<bool> RunFlowAsync(RuumServer server, string email, ConcurrentBag<string> bad, Action signedIn)
    {
        var flow = new AuthorizationCodeFlow(server);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() })
        {
            BaseAddress = server.BaseAddress,
            // A hang fails the test (below), it is not a timing assertion: a healthy request takes milliseconds.
            Timeout = TimeSpan.FromSeconds(15),
        };
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd(RuumServer.TestLanguage);

        async Task<HttpResponseMessage?> SendAsync(Func<Task<HttpResponseMessage>> send)
        {
            HttpResponseMessage response;
            try
            {
                response = await send();
            }
            catch (TaskCanceledException)
            {
                bad.Add("A request hung.");
                return null;
            }
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                if (response.Headers.RetryAfter is null)
                {
                    bad.Add("503 without Retry-After: " + response.RequestMessage!.RequestUri);
                }
                Interlocked.Increment(ref _failedFast);
                return null;
            }
            if ((int)response.StatusCode >= 500)
            {
                bad.Add($"{(int)response.StatusCode} from {response.RequestMessage!.RequestUri}");
                return null;
            }
            return response;
        }

        async Task<HttpResponseMessage?> FollowAsync(HttpResponseMessage? response)
        {
            while (response is { StatusCode: HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther }
                && !response.Headers.Location!.ToString().StartsWith(flow.RedirectUri, StringComparison.Ordinal))
            {
                var location = response.Headers.Location;
                response = await SendAsync(() => browser.GetAsync(location));
            }
            return response;
        }

        async Task<HttpResponseMessage?> PostFormAsync(HttpResponseMessage page, Dictionary<string, string> form)
        {
            form["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync());
            var action = page.RequestMessage!.RequestUri!.PathAndQuery.TrimStart('/');
            return await SendAsync(() => browser.PostAsync(action, new FormUrlEncodedContent(form)));
        }

        var login = await FollowAsync(await SendAsync(() => browser.GetAsync(flow.AuthorizeUrl())));
        if (login is null)
        {
            return false;
        }
        var html = await login.Content.ReadAsStringAsync();
        var field = System.Text.RegularExpressions.Regex.Match(html, "type=\"hidden\"[^>]*name=\"ReturnUrl\" value=\"([^\"]*)\"|name=\"ReturnUrl\"[^>]*value=\"([^\"]*)\"");
        var returnUrl = WebUtility.HtmlDecode(field.Groups[1].Success ? field.Groups[1].Value : field.Groups[2].Value);
        var afterLogin = await FollowAsync(await PostFormAsync(login, new() { ["Input.Email"] = email, ["Input.Password"] = TestData.Password, ["ReturnUrl"] = returnUrl }));
        if (afterLogin is null)
        {
            return false;
        }
        if (AuthorizationCodeFlow.IsOtpPage(afterLogin))
        {
            afterLogin = await FollowAsync(await PostFormAsync(afterLogin, new() { ["Input.Code"] = await flow.SecondFactorCodeAsync(email) }));
            if (afterLogin is null)
            {
                return false;
            }
        }
        var code = flow.CodeFrom(afterLogin);
        signedIn();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = flow.ClientId,
            ["redirect_uri"] = flow.RedirectUri,
            ["code"] = code,
            ["code_verifier"] = flow.Pkce.Verifier,
        };
        var tokens = await SendAsync(() => browser.PostAsync("connect/token", new FormUrlEncodedContent(form)));
        if (tokens is null || !await SucceededAsync(tokens, bad))
        {
            return false;
        }
        var refreshToken = (await tokens.JsonAsync()).GetProperty("refresh_token").GetString()!;
        var refreshed = await SendAsync(() => browser.PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = flow.ClientId,
            ["refresh_token"] = refreshToken,
        }));
        return refreshed is not null && await SucceededAsync(refreshed, bad);
    }

    /// <summary>A token response is either tokens or OAuth's temporarily_unavailable (RFC 6749 section 4.1.2.1).</summary>
    private async Task<bool> SucceededAsync(HttpResponseMessage response, ConcurrentBag<string> bad)
    {
        if (response.IsSuccessStatusCode)
        {
            return true;
        }
        var error = (await response.JsonAsync()).GetProperty("error").GetString();
        if (error == "temporarily_unavailable")
        {
            Interlocked.Increment(ref _failedFast);
        }
        else
        {
            bad.Add("Token endpoint: " + error);
        }
        return false;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ConcurrentBag<string> bad)
    {
        for (var i = 0; i < 600 && !condition() && bad.IsEmpty; i++)
        {
            await Task.Delay(50);
        }
        Assert.True(bad.IsEmpty, string.Join("\n", bad));
        Assert.True(condition(), "The load did not get there.");
    }
}
