using System.Net;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task ForgedForwardedHeaders_FromUntrustedAddress_AreIgnored()
    {
        await using var server = await RuumServer.StartAsync(configure: ProbeEndpoints.AddTo);

        var seen = await SendForgedAsync(server);

        Assert.Equal("http 127.0.0.1", seen);
    }

    [Theory]
    [InlineData("Ruum:Proxy:KnownProxies:0", "127.0.0.1")]
    [InlineData("Ruum:Proxy:KnownNetworks:0", "127.0.0.0/8")]
    public async Task ForwardedHeaders_FromConfiguredProxy_AreBelieved(string setting, string value)
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { [setting] = value }, ProbeEndpoints.AddTo);

        var seen = await SendForgedAsync(server);

        Assert.Equal("https 203.0.113.9", seen);
    }

    [Fact]
    public async Task ForgedProto_FromUntrustedAddressInProduction_IsRedirectedToHttps()
    {
        await using var server = await ProductionServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Proxy:KnownProxies:0"] = "10.1.2.3" });

        var response = await server.CreateProxiedClient().GetAsync("account/login");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"https://{ProductionServer.PublicHost}/account/login", response.Headers.Location!.ToString());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Https_FromConfiguredProxyInProduction_IsServedWithHsts()
    {
        await using var server = await ProductionServer.StartAsync();

        var response = await server.CreateProxiedClient().GetAsync("account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    private static async Task<string> SendForgedAsync(RuumServer server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ProbeEndpoints.Forwarded.TrimStart('/'));
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var response = await server.CreatePlainClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
