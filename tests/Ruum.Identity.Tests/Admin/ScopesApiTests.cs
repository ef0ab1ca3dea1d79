using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

public sealed class ScopesApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<HttpClient> AdminAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    private static string NewName() => "reports." + Guid.NewGuid().ToString("N")[..8];

    private Task<bool> ExistsAsync(string name) =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreScope>().AnyAsync(s => s.Name == name));

    [Fact]
    public async Task Create_ScopeWithAudience_TokensForItCarryTheAudience()
    {
        var admin = await AdminAsync();
        var name = NewName();

        var response = await admin.PostJsonAsync("api/admin/scopes", new { name, displayName = "Reports", resources = new List<string> { "reports-api" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["reports-api"], (await response.JsonAsync()).GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
        var clientId = "reports-" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await admin.PostJsonAsync("api/admin/clients", new
        {
            clientId, displayName = "Reports job", type = "confidential", grantTypes = new List<string> { "client_credentials" }, scopes = new List<string> { name },
        })).JsonAsync();
        var token = await _server.ClientCredentialsAsync(clientId, created.GetProperty("clientSecret").GetString()!, name);
        var audience = Jwt.Payload(token.GetProperty("access_token").GetString()!).GetProperty("aud");
        Assert.Contains("reports-api", audience.ValueKind == System.Text.Json.JsonValueKind.Array
            ? audience.EnumerateArray().Select(a => a.GetString()) : [audience.GetString()]);
    }

    [Fact]
    public async Task Create_Duplicate_409()
    {
        var admin = await AdminAsync();
        var name = NewName();
        await admin.PostJsonAsync("api/admin/scopes", new { name, resources = new List<string> { "a" } });

        var response = await admin.PostJsonAsync("api/admin/scopes", new { name, resources = new List<string> { "b" } });

        await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(["a"], (await (await admin.GetAsync($"api/admin/scopes/{name}")).JsonAsync()).GetProperty("resources")
            .EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("openid", "a")]
    [InlineData("Bad Name", "a")]
    [InlineData("ok.name", "")]
    [InlineData("ok.name", "with space")]
    public async Task Create_BadNameOrAudience_400AndNothingCreated(string name, string resource)
    {
        var unique = name == "ok.name" ? NewName() : name;
        var resources = resource.Length == 0 ? Array.Empty<string>() : [resource];
        var before = await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreScope>().CountAsync());

        var response = await (await AdminAsync()).PostJsonAsync("api/admin/scopes", new { name = unique, resources });

        await response.FieldErrorsAsync();
        Assert.Equal(before, await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreScope>().CountAsync()));
    }

    [Fact]
    public async Task Update_StaleIfMatch_412AndNothingChanged()
    {
        var admin = await AdminAsync();
        var name = NewName();
        var etag = (await admin.PostJsonAsync("api/admin/scopes", new { name, resources = new List<string> { "one" } })).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJsonAsync($"api/admin/scopes/{name}", new { resources = new List<string> { "two" } }, etag)).StatusCode);

        var stale = await admin.PutJsonAsync($"api/admin/scopes/{name}", new { resources = new List<string> { "three" } }, etag);

        await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(["two"], (await (await admin.GetAsync($"api/admin/scopes/{name}")).JsonAsync()).GetProperty("resources")
            .EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Delete_Existing204ThenMissing404()
    {
        var admin = await AdminAsync();
        var name = NewName();
        await admin.PostJsonAsync("api/admin/scopes", new { name, resources = new List<string> { "x" } });

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/admin/scopes/{name}")).StatusCode);

        Assert.False(await ExistsAsync(name));
        await (await admin.DeleteAsync($"api/admin/scopes/{name}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("api/admin/scopes?limit=1000000")).FieldErrorsAsync();
    }
}
