using System.Globalization;
using System.Net;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed class SecurityTxtTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    [Fact]
    public async Task SecurityTxt_ByDefault_FollowsRfc9116WithFutureExpiry()
    {
        var server = fixture.Server;

        var response = await server.CreatePlainClient().GetAsync(".well-known/security.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var fields = await FieldsAsync(response);
        Assert.Equal("mailto:security@ruum.es", fields["Contact"]);
        Assert.Equal("es, en", fields["Preferred-Languages"]);
        Assert.Equal(server.BaseAddress + ".well-known/security.txt", fields["Canonical"]);
        var expires = DateTimeOffset.Parse(fields["Expires"], CultureInfo.InvariantCulture);
        var today = server.Clock.GetUtcNow().UtcDateTime.Date;
        Assert.Equal(today.AddDays(180), expires.UtcDateTime);
    }

    [Fact]
    public async Task SecurityTxt_Configured_UsesTheSettingsAndTheIssuer()
    {
        await using var server = await ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:SecurityTxt:Contact"] = "https://ruum.es/security",
            ["Ruum:SecurityTxt:ExpiresAfter"] = "30.00:00:00",
            ["Ruum:SecurityTxt:Policy"] = "https://ruum.es/security-policy",
        });

        var fields = await FieldsAsync(await server.CreateProxiedClient().GetAsync(".well-known/security.txt"));

        Assert.Equal("https://ruum.es/security", fields["Contact"]);
        Assert.Equal("https://ruum.es/security-policy", fields["Policy"]);
        Assert.Equal(ProductionServer.Issuer + ".well-known/security.txt", fields["Canonical"]);
        var expires = DateTimeOffset.Parse(fields["Expires"], CultureInfo.InvariantCulture);
        Assert.Equal(server.Clock.GetUtcNow().UtcDateTime.Date.AddDays(30), expires.UtcDateTime);
    }

    [Theory]
    [InlineData("Ruum:SecurityTxt:Contact", "security@ruum.es")]
    [InlineData("Ruum:SecurityTxt:ExpiresAfter", "800.00:00:00")]
    public async Task SecurityTxt_InvalidSetting_StopsStartNamingIt(string setting, string value)
    {
        var exception = await Record.ExceptionAsync(() => RuumServer.StartAsync(new Dictionary<string, string?> { [setting] = value }));

        Assert.NotNull(exception);
        Assert.Contains(setting.Split(':')[^1], ProductionServer.AllMessages(exception), StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> FieldsAsync(HttpResponseMessage response) =>
        (await response.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
}
