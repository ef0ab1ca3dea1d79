using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

public sealed class AuditApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<HttpClient> PlatformAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    /// <summary>An admin change tagged with a company, as the company areas of the API record them.</summary>
    private Task RecordAsync(string type, string target, Guid? companyId) =>
        _server.WithServicesAsync(s => s.GetRequiredService<AdminAudit>().RecordAsync(AdminCaller.Command("test"), type, target, new { note = "=1+1" }, companyId));

    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task List_ByTypeAndClient_NewestFirstWithCursorPaging()
    {
        var admin = await PlatformAsync();
        var marker = "audit-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            await admin.PostJsonAsync("api/admin/clients", ClientsApiTests.Confidential($"{marker}-{i}"));
        }
        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync("api/admin/audit?type=admin.client.created&client=dev-admin&outcome=success&limit=2"
                + (cursor is null ? "" : "&cursor=" + cursor))).JsonAsync();
            seen.AddRange(Items(page));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.All(seen, e => Assert.Equal("admin.client.created", e.GetProperty("type").GetString()));
        var sequences = seen.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        var mine = seen.Select(e => e.GetProperty("details").GetProperty("target").GetString()).Where(t => t!.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"client:{marker}-2", $"client:{marker}-1", $"client:{marker}-0"], mine);
    }

    [Fact]
    public async Task List_TimeRange_OnlyEventsInside()
    {
        var admin = await PlatformAsync();
        var from = _server.Clock.GetUtcNow().AddSeconds(-1);
        await RecordAsync("admin.test.inside", "x:inside", null);
        _server.Clock.Advance(TimeSpan.FromMinutes(5));
        await RecordAsync("admin.test.inside", "x:after", null);
        var to = from.AddMinutes(2);

        var page = await (await admin.GetAsync($"api/admin/audit?type=admin.test.inside&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}")).JsonAsync();

        Assert.Equal(["x:inside"], Items(page).Select(e => e.GetProperty("details").GetProperty("target").GetString()));
    }

    [Theory]
    [InlineData("limit=1000000", "limit")]
    [InlineData("user=not-a-guid", "user")]
    [InlineData("from=yesterday", "from")]
    [InlineData("outcome=maybe", "outcome")]
    [InlineData("cursor=%25%25", "cursor")]
    public async Task List_BadQuery_400NamingTheField(string query, string field)
    {
        var response = await (await PlatformAsync()).GetAsync("api/admin/audit?" + query);

        Assert.True((await response.FieldErrorsAsync()).TryGetProperty(field, out _));
    }

    [Fact]
    public async Task CompanyAdmin_SeesOwnCompanysEvents_OtherCompanysAre404LikeMissing()
    {
        var own = await _server.CreateCompanyAsync();
        var other = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(own, RoleCatalogue.CompanyAdmin);
        var token = await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), admin.Email);
        var http = _server.AdminHttp(token);
        await RecordAsync("admin.test.company", "project:own", own);
        await RecordAsync("admin.test.company", "project:other", other);
        var platformView = Items(await (await (await PlatformAsync()).GetAsync("api/admin/audit?type=admin.test.company")).JsonAsync());
        var otherId = platformView.Single(e => e.GetProperty("details").GetProperty("target").GetString() == "project:other").GetProperty("id").GetString();

        var listed = Items(await (await http.GetAsync("api/admin/audit?type=admin.test.company")).JsonAsync());

        Assert.Equal(["project:own"], listed.Select(e => e.GetProperty("details").GetProperty("target").GetString()));
        var byId = await http.GetAsync($"api/admin/audit/{otherId}");
        var missing = await http.GetAsync($"api/admin/audit/{Guid.NewGuid()}");
        Assert.Equal((await missing.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString(),
            (await byId.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        await (await http.GetAsync($"api/admin/audit?company={other}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.GetAsync($"api/admin/audit/export?company={other}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"api/admin/audit/{listed[0].GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task Export_CsvAndJsonLines_EveryMatchingEventStreamedWithFormulasDefused()
    {
        var admin = await PlatformAsync();
        var type = "admin.test.export" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++)
        {
            await RecordAsync(type, "x:" + i, null);
        }
        var formula = "=HYPERLINK(" + Guid.NewGuid().ToString("N")[..8] + ")";
        await RecordAsync(formula, "x:formula", null);

        var csv = await admin.GetAsync($"api/admin/audit/export?type={type}");
        var jsonl = await admin.GetAsync($"api/admin/audit/export?type={type}&format=jsonl");

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,sequence,occurred_at,type", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.Contains("\"\"target\"\":\"\"x:2\"\"", lines[1], StringComparison.Ordinal);
        var defused = (await (await admin.GetAsync($"api/admin/audit/export?type={Uri.EscapeDataString(formula)}")).Content.ReadAsStringAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Contains(",'" + formula + ",", defused, StringComparison.Ordinal);
        Assert.Equal("application/x-ndjson", jsonl.Content.Headers.ContentType?.MediaType);
        var rows = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["x:2", "x:1", "x:0"], rows.Select(r => r.GetProperty("details").GetProperty("target").GetString()));
        await (await admin.GetAsync("api/admin/audit/export?format=xlsx")).FieldErrorsAsync();
    }
}
