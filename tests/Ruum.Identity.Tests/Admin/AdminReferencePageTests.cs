using Microsoft.Playwright;
using Ruum.Identity.Tests.Hosting;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>The admin API's interactive reference (Scalar): it renders in Development under the CSP, and exists only there.</summary>
public sealed class AdminReferencePageTests(RuumServerFixture server, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ReferencePage_InDevelopment_RendersTheAdminOperationsWithoutCspViolations()
    {
        await using var session = await browser.NewSessionAsync(nameof(ReferencePage_InDevelopment_RendersTheAdminOperationsWithoutCspViolations));
        var page = session.Page;
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        var offSite = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(server.Server.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                offSite.Add(request.Url);
            }
        };

        await session.StepAsync("reference", async () =>
        {
            var response = await page.GotoAsync(new Uri(server.Server.BaseAddress, "api/admin/reference").ToString());
            Assert.Equal(200, response!.Status);
            // An operation of the admin API, rendered from /api/admin/openapi.json by Scalar's script.
            await Assertions.Expect(page.GetByText("/api/admin/clients").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        });
        Assert.Empty(problems);
        Assert.Empty(offSite);
    }

    [Fact]
    public async Task ReferencePage_InProduction_IsNotServed()
    {
        await using var production = await ProductionServer.StartAsync();
        using var client = production.CreateProxiedClient();

        using var response = await client.GetAsync(new Uri("api/admin/reference", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
