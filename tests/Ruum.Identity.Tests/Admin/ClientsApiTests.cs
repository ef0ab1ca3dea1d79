using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

public sealed class ClientsApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    public static object Confidential(string clientId, string displayName = "Billing service") => new
    {
        clientId,
        displayName,
        type = "confidential",
        grantTypes = new[] { "client_credentials" },
        scopes = new[] { "ruum.api" },
    };

    private static object Public(string clientId, params string[] redirectUris) => new
    {
        clientId,
        displayName = "Web app",
        type = "public",
        grantTypes = new[] { "authorization_code", "refresh_token" },
        scopes = new[] { "openid", "profile", "offline_access", "ruum.api" },
        redirectUris,
        postLogoutRedirectUris = new[] { "https://app.ruum.es/" },
        consent = "implicit",
    };

    private static string NewId(string prefix = "client") => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<HttpClient> AdminAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    internal static Task<bool> ExistsAsync(RuumServer server, string clientId) =>
        server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.ClientId == clientId));

    private Task<OpenIddictEntityFrameworkCoreApplication> StoredAsync(string clientId) =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking().SingleAsync(a => a.ClientId == clientId));

    [Fact]
    public async Task Create_Confidential_201WithSecretOnceStoredHashedAndUsableForClientCredentials()
    {
        var admin = await AdminAsync();
        var clientId = NewId("svc");

        var response = await admin.PostJsonAsync("api/admin/clients", Confidential(clientId));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/admin/clients/{clientId}", response.Headers.Location?.OriginalString);
        var created = await response.JsonAsync();
        var secret = created.GetProperty("clientSecret").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret); // 32 bytes, base64url without padding
        Assert.Equal(clientId, created.GetProperty("clientId").GetString());
        Assert.Equal("confidential", created.GetProperty("type").GetString());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        var stored = await StoredAsync(clientId);
        Assert.StartsWith("1:" + ClientSecretHasher.Prefix, stored.ClientSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored.ClientSecret, StringComparison.Ordinal);
        var read = await admin.GetAsync($"api/admin/clients/{clientId}");
        Assert.False((await read.JsonAsync()).TryGetProperty("clientSecret", out _), "the secret is shown only once");
        Assert.NotNull(read.Headers.ETag);
        var token = await _server.ClientCredentialsAsync(clientId, secret, "ruum.api");
        Assert.Equal(clientId, Jwt.Payload(token.GetProperty("access_token").GetString()!).GetProperty("sub").GetString());
        var audit = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.Type == AuditEventTypes.AdminClientCreated && e.Details!.Contains(clientId)).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal(DevelopmentSeed.AdminClientId, entry.ClientId);
        Assert.Contains("\"actor\":\"client:dev-admin\"", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PublicWithLoopbackHttp_201WithoutSecretAndPkceRequired()
    {
        var clientId = NewId("spa");

        var response = await (await AdminAsync()).PostJsonAsync("api/admin/clients", Public(clientId, "https://app.ruum.es/cb", "http://127.0.0.1:8080/cb"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        Assert.False(created.TryGetProperty("clientSecret", out _));
        Assert.Equal(["http://127.0.0.1:8080/cb", "https://app.ruum.es/cb"], created.GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        Assert.Contains("ft:pkce", (await StoredAsync(clientId)).Requirements, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/*", "wildcards")]
    [InlineData("javascript:alert(1)", "https")]
    [InlineData("http://ruum.es/cb", "https")]
    [InlineData("https://app.ruum.es/cb#x", "fragment")]
    [InlineData("https://user:pw@app.ruum.es/cb", "user name or password")]
    public async Task Create_BadRedirectUri_400NamingTheFieldAndNothingCreated(string redirectUri, string reason)
    {
        var clientId = NewId("bad-redirect");

        var response = await (await AdminAsync()).PostJsonAsync("api/admin/clients", Public(clientId, "https://app.ruum.es/ok", redirectUri));

        var errors = await response.FieldErrorsAsync();
        Assert.Contains(reason, errors.GetProperty("redirectUris[1]")[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("redirectUris[0]", out _));
        Assert.False(await ExistsAsync(_server, clientId));
    }

    [Theory]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c3301")]
    [InlineData("3f2504e04f8941d39a0c0305e82c3301")]
    public async Task Create_GuidShapedClientId_400AndNothingCreated(string clientId)
    {
        var response = await (await AdminAsync()).PostJsonAsync("api/admin/clients", Confidential(clientId));

        Assert.Contains("GUID", (await response.FieldErrorsAsync()).GetProperty("clientId")[0].GetString(), StringComparison.Ordinal);
        Assert.False(await ExistsAsync(_server, clientId));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Upper-Case")]
    [InlineData("spa ce")]
    [InlineData("slash/id")]
    public async Task Create_ClientIdOutsideTheAlphabet_400AndNothingCreated(string clientId)
    {
        var response = await (await AdminAsync()).PostJsonAsync("api/admin/clients", Confidential(clientId));

        Assert.True((await response.FieldErrorsAsync()).TryGetProperty("clientId", out _));
        Assert.False(await ExistsAsync(_server, clientId));
    }

    [Fact]
    public async Task Create_DuplicateClientId_409AndTheFirstUnchanged()
    {
        var admin = await AdminAsync();
        var clientId = NewId("dup");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("api/admin/clients", Confidential(clientId, "First"))).StatusCode);
        var before = await StoredAsync(clientId);

        var response = await admin.PostJsonAsync("api/admin/clients", Confidential(clientId, "Second"));

        await response.ProblemAsync(HttpStatusCode.Conflict);
        var after = await StoredAsync(clientId);
        Assert.Equal("First", after.DisplayName);
        Assert.Equal(before.ClientSecret, after.ClientSecret);
    }

    [Theory]
    [InlineData("{\"clientId\": \"x-broken\", ")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    [InlineData("{\"clientId\": 42}")]
    public async Task Create_MalformedJson_400AndNothingCreated(string json)
    {
        var count = await AdminAccessTests.CountClientsAsync(_server);

        var response = await (await AdminAsync()).SendJsonAsync(HttpMethod.Post, "api/admin/clients", json);

        await response.FieldErrorsAsync();
        Assert.Equal(count, await AdminAccessTests.CountClientsAsync(_server));
    }

    [Fact]
    public async Task Create_UnknownField_400NamingItAndNothingCreated()
    {
        var clientId = NewId("unknown-field");
        var json = JsonSerializer.Serialize(new { clientId, displayName = "X", type = "confidential", isAdmin = true });

        var response = await (await AdminAsync()).SendJsonAsync(HttpMethod.Post, "api/admin/clients", json);

        Assert.Contains("isAdmin", (await response.FieldErrorsAsync()).GetProperty("isAdmin")[0].GetString(), StringComparison.Ordinal);
        Assert.False(await ExistsAsync(_server, clientId));
    }

    [Fact]
    public async Task Create_TwoMegabyteBody_413ProblemAndNothingCreated()
    {
        var clientId = NewId("huge");
        var json = JsonSerializer.Serialize(new { clientId, displayName = new string('a', 2 * 1024 * 1024), type = "confidential" });

        var response = await (await AdminAsync()).SendJsonAsync(HttpMethod.Post, "api/admin/clients", json);

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.False(await ExistsAsync(_server, clientId));
    }

    [Theory]
    [InlineData("1000000")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("ten")]
    public async Task List_LimitOutOfRange_400NamingLimit(string limit)
    {
        var response = await (await AdminAsync()).GetAsync("api/admin/clients?limit=" + limit);

        Assert.Contains("200", (await response.FieldErrorsAsync()).GetProperty("limit")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_CursorPaging_WalksEveryClientOnceInOrder()
    {
        var admin = await AdminAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("api/admin/clients", Confidential(NewId("page")))).StatusCode);
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync("api/admin/clients?limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("clientId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var all = await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().Select(a => a.ClientId!).ToListAsync());
        Assert.Equal(all.Order(StringComparer.Ordinal), seen);
        Assert.Equal("cursor", (await (await admin.GetAsync("api/admin/clients?cursor=%%%")).FieldErrorsAsync()).EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task Create_ScriptInDisplayName_StoredAsTextAndReturnedIntact()
    {
        var admin = await AdminAsync();
        var clientId = NewId("xss");
        const string name = "<script>alert('x')</script>";

        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("api/admin/clients", Confidential(clientId, name))).StatusCode);

        Assert.Equal(name, (await StoredAsync(clientId)).DisplayName);
        // Data, never markup: JSON that browsers may not sniff as HTML (pages that show it encode it, as Razor does).
        var read = await admin.GetAsync($"api/admin/clients/{clientId}");
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", read.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(name, (await read.JsonAsync()).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Update_StaleIfMatch_412AndNothingChanged()
    {
        var admin = await AdminAsync();
        var clientId = NewId("etag");
        await admin.PostJsonAsync("api/admin/clients", Confidential(clientId, "Before"));
        var etag = (await admin.GetAsync($"api/admin/clients/{clientId}")).Headers.ETag!.Tag;
        var first = await admin.PutJsonAsync($"api/admin/clients/{clientId}", Confidential(clientId, "Changed once"), etag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag!.Tag);

        var stale = await admin.PutJsonAsync($"api/admin/clients/{clientId}", Confidential(clientId, "Lost update"), etag);

        await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("Changed once", (await StoredAsync(clientId)).DisplayName);
        await (await admin.SendAsync(HttpMethod.Delete, $"api/admin/clients/{clientId}", etag)).ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.True(await ExistsAsync(_server, clientId));
    }

    [Fact]
    public async Task Update_RedirectUrisAndScopes_AppliedAndAudited()
    {
        var admin = await AdminAsync();
        var clientId = NewId("upd");
        await admin.PostJsonAsync("api/admin/clients", Public(clientId, "https://app.ruum.es/cb"));

        var response = await admin.PutJsonAsync($"api/admin/clients/{clientId}", Public(clientId, "https://app.ruum.es/new"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["https://app.ruum.es/new"], (await response.JsonAsync()).GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        var audit = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .SingleAsync(e => e.Type == AuditEventTypes.AdminClientUpdated && e.Details!.Contains(clientId)));
        Assert.Contains("https://app.ruum.es/new", audit.Details, StringComparison.Ordinal);
        var bad = await admin.PutJsonAsync($"api/admin/clients/{clientId}", Public(clientId, "http://ruum.es/cb"));
        Assert.True((await bad.FieldErrorsAsync()).TryGetProperty("redirectUris[0]", out _));
        Assert.Equal(["https://app.ruum.es/new"], (await (await admin.GetAsync($"api/admin/clients/{clientId}")).JsonAsync())
            .GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task DisableThenEnable_TokensRefusedWhileDisabledThenIssuedAgain()
    {
        var admin = await AdminAsync();
        var clientId = NewId("toggle");
        var secret = (await (await admin.PostJsonAsync("api/admin/clients", Confidential(clientId))).JsonAsync()).GetProperty("clientSecret").GetString()!;
        await _server.ClientCredentialsAsync(clientId, secret); // cached on this instance: disabling must drop it

        var disabled = await (await admin.PostAsync($"api/admin/clients/{clientId}/disable", null)).JsonAsync();

        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(["client_credentials"], disabled.GetProperty("grantTypes").EnumerateArray().Select(g => g.GetString()));
        Assert.False((await TokenAsync(clientId, secret)).IsSuccessStatusCode);
        Assert.True((await (await admin.PostAsync($"api/admin/clients/{clientId}/enable", null)).JsonAsync()).GetProperty("enabled").GetBoolean());
        Assert.True((await TokenAsync(clientId, secret)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task RotateSecret_OldSecretRefusedNewOneWorks_AndNoSecretInTheAudit()
    {
        var admin = await AdminAsync();
        var clientId = NewId("rotate");
        var old = (await (await admin.PostJsonAsync("api/admin/clients", Confidential(clientId))).JsonAsync()).GetProperty("clientSecret").GetString()!;

        var rotated = await (await admin.PostAsync($"api/admin/clients/{clientId}/secret", null)).JsonAsync();

        var secret = rotated.GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(old, secret);
        Assert.False((await TokenAsync(clientId, old)).IsSuccessStatusCode);
        Assert.True((await TokenAsync(clientId, secret)).IsSuccessStatusCode);
        var details = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.Type == AuditEventTypes.AdminClientSecretRotated && e.Details!.Contains(clientId)).Select(e => e.Details!).SingleAsync());
        Assert.DoesNotContain(secret, details, StringComparison.Ordinal);
        Assert.DoesNotContain(old, details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ClientGoneAndItsSecretRefused()
    {
        var admin = await AdminAsync();
        var clientId = NewId("delete");
        var secret = (await (await admin.PostJsonAsync("api/admin/clients", Confidential(clientId))).JsonAsync()).GetProperty("clientSecret").GetString()!;

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/admin/clients/{clientId}")).StatusCode);

        await (await admin.GetAsync($"api/admin/clients/{clientId}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.False((await TokenAsync(clientId, secret)).IsSuccessStatusCode);
        await (await admin.DeleteAsync($"api/admin/clients/{clientId}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_UnknownScope_400AndNothingCreated()
    {
        var clientId = NewId("scope");
        var body = new { clientId, displayName = "X", type = "confidential", grantTypes = new[] { "client_credentials" }, scopes = new[] { "no.such.scope" } };

        var response = await (await AdminAsync()).PostJsonAsync("api/admin/clients", body);

        Assert.True((await response.FieldErrorsAsync()).TryGetProperty("scopes[0]", out _));
        Assert.False(await ExistsAsync(_server, clientId));
    }

    private Task<HttpResponseMessage> TokenAsync(string clientId, string secret) =>
        _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
        }, (clientId, secret));
}
