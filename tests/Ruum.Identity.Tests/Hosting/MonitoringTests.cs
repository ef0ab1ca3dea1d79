using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Ruum.Identity.Infrastructure.Monitoring;
using Ruum.Identity.Tests.Infrastructure;
using Sentry;

namespace Ruum.Identity.Tests.Hosting;

public sealed class MonitoringTests
{
    private const string Password = "Pw-horse-7Q2x-battery";
    private const string Code = "c0de-8842-zyxw";
    private const string ClientSecret = "Cl13nt-S3cret-553-qq";
    private const string BearerToken = "b3arer-t0ken-9911-aa";
    private const string CookieValue = "s3ssion-c00kie-4411";
    private static readonly string[] Secrets = [Password, Code, ClientSecret, BearerToken, CookieValue];

    [Fact]
    public async Task FailingRequest_CarryingSecrets_ReachesSentryAndLogsWithoutThem()
    {
        using var sentry = new SentryListener();
        var logs = new CapturedLogs();
        // Every category at Trace: no secret at any level, the framework's and OpenIddict's lines included.
        await using var server = await ProductionServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Ruum:Sentry:Dsn"] = sentry.Dsn,
                ["Ruum:Sentry:TracesSampleRate"] = "1",
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
                ["Logging:LogLevel:OpenIddict"] = "Trace",
            },
            web =>
            {
                ProbeEndpoints.AddTo(web);
                logs.AddTo(web);
            });

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{ProbeEndpoints.Throw.TrimStart('/')}?code={Code}&state=abc")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = "someone@example.test",
                ["password"] = Password,
                ["client_secret"] = ClientSecret,
                ["code"] = Code,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken);
        request.Headers.Add("Cookie", "ruum.session=" + CookieValue);
        var client = server.CreateProxiedClient();
        var response = await client.SendAsync(request);
        await client.PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = Code,
            ["redirect_uri"] = "https://app.example.test/callback?password=" + Password,
            ["client_id"] = "no-such-client",
            ["client_secret"] = ClientSecret,
        });
        using var userInfo = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        userInfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken);
        await client.SendAsync(userInfo);
        await server.Services.GetRequiredService<IHub>().FlushAsync(TimeSpan.FromSeconds(30));
        var envelopes = await sentry.WaitForEventAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var correlationId = Assert.Single(response.Headers.GetValues(MonitoringSetup.CorrelationHeader));
        Assert.Contains("System.InvalidOperationException", envelopes, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"transaction\"", envelopes, StringComparison.Ordinal);
        Assert.Contains(correlationId, envelopes, StringComparison.Ordinal);
        Assert.Contains(SecretScrubber.Filtered, envelopes, StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, envelopes, StringComparison.Ordinal);
        }

        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Trace);
        var error = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Error && entry.Exception is not null);
        Assert.Contains(error.Scopes, scope => scope.Key == "CorrelationId" && Equals(scope.Value, correlationId));
        Assert.Contains("InvalidOperationException", error.Exception, StringComparison.Ordinal);
        Assert.Contains(SecretScrubber.Filtered, error.Exception, StringComparison.Ordinal);
        foreach (var entry in logs.Entries)
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, entry.Everything, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Production_WithoutDsn_LogsJsonAndHasNoSentry()
    {
        await using var server = await ProductionServer.StartAsync();

        Assert.Equal(ConsoleFormatterNames.Json, server.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.Null(server.Services.GetService<IHub>());
    }
}
