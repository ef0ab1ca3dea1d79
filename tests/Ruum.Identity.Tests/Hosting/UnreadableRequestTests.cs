using System.Net;
using Ruum.Identity.Infrastructure.Hosting;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>Bodies the server will not read get their 4xx, and none of them is logged (or sent to Sentry) as an error.</summary>
public sealed class UnreadableRequestTests : IAsyncLifetime
{
    private RuumServer _server = null!;
    private int _linesAtStart;

    public async Task InitializeAsync()
    {
        _server = await RuumServer.StartAsync();
        _linesAtStart = _server.Logs.Lines.Count;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TokenRequest_WithBodyOverTheLimit_Gets413Problem()
    {
        var response = await _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
            ["padding"] = new string('a', (int)HostingSetup.MaxRequestBodyBytes),
        }, ("dev-service", "dev-service-secret"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertProblemAsync(response, "Request body too large");
        AssertNoErrorLogged();
    }

    [Fact]
    public async Task TokenRequest_WithFormValueOverTheLimit_Gets400Problem()
    {
        var response = await _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = new string('a', 17 * 1024),
        }, ("dev-service", "dev-service-secret"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemAsync(response, "Malformed request body");
        AssertNoErrorLogged();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string title)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.JsonAsync()).GetProperty("title").GetString());
    }

    /// <summary>Only what the request logged: a fresh database's first migration check logs an EF Core error of its own.</summary>
    private void AssertNoErrorLogged() =>
        Assert.DoesNotContain(_server.Logs.Lines.Skip(_linesAtStart), line => line.StartsWith("Error ", StringComparison.Ordinal)
            || line.StartsWith("Critical ", StringComparison.Ordinal));
}
