using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Admin.Bootstrap;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Hosting;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>A fresh Production database (no seed) made usable by <c>bootstrap</c> and the admin API alone.</summary>
public sealed partial class BootstrapTests
{
    private const string AdminEmail = "ops@ruum.test";

    [Fact]
    public async Task Bootstrap_EmptyProductionDatabase_ThenClientMadeThroughTheApiGetsClientCredentialsTokens()
    {
        await using var server = await ProductionServer.StartAsync();
        Assert.Equal(0, await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().CountAsync()));

        var (exit, output) = await BootstrapAsync(server, "bootstrap", "--admin-email", AdminEmail);

        Assert.Equal(0, exit);
        var token = InvitationLink().Match(output).Groups[1].Value;
        Assert.NotEmpty(token);
        var invitation = await server.WithDatabaseAsync(db => db.Set<Invitation>().AsNoTracking().SingleAsync());
        var hasher = server.Services.GetRequiredService<KeyedHasher>();
        Assert.Equal(hasher.Hash(Invitations.Purpose, Uri.UnescapeDataString(token)), invitation.TokenHash);
        Assert.DoesNotContain(Uri.UnescapeDataString(token), invitation.TokenHash, StringComparison.Ordinal);
        Assert.Equal(server.Clock.GetUtcNow().AddDays(7), invitation.ExpiresAt, TimeSpan.FromSeconds(1));
        var admin = await server.WithDatabaseAsync(db => db.Set<User>().SingleAsync(u => u.NormalizedEmail == EmailAddress.Normalize(AdminEmail)));
        Assert.Equal(admin.Id, invitation.UserId);
        Assert.True(await server.WithDatabaseAsync(db => db.Set<PlatformRoleAssignment>().AnyAsync(a => a.UserId == admin.Id)));
        var secret = SecretLine().Match(output).Groups[1].Value;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);

        var http = server.CreateProxiedClient();
        var adminToken = await TokenAsync(http, BootstrapCommand.AutomationClientId, secret, "ruum.admin");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("api/admin/scopes", new { name = "ruum.api", resources = new List<string> { "ruum-api" } })).StatusCode);
        var created = await http.PostJsonAsync("api/admin/clients", ClientsApiTests.Confidential("billing-service"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var clientSecret = (await created.JsonAsync()).GetProperty("clientSecret").GetString()!;
        http.DefaultRequestHeaders.Authorization = null;
        var apiToken = await TokenAsync(http, "billing-service", clientSecret, "ruum.api");
        var claims = Jwt.Payload(apiToken);
        Assert.Equal("billing-service", claims.GetProperty("sub").GetString());
        Assert.Equal(ProductionServer.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("ruum-api", claims.GetProperty("aud").GetString());
        Assert.DoesNotContain(server.Logs.Lines, m => m.Contains(secret, StringComparison.Ordinal) || m.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_SecondRun_RefusedAndNothingChanged_UnlessForced()
    {
        await using var server = await ProductionServer.StartAsync();
        var (_, first) = await BootstrapAsync(server, "bootstrap", "--admin-email", AdminEmail);
        var secret = SecretLine().Match(first).Groups[1].Value;
        var before = await CountsAsync(server);

        var (exit, output) = await BootstrapAsync(server, "bootstrap", "--admin-email", "second@ruum.test");

        Assert.Equal(1, exit);
        Assert.Contains("--force", output, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(server));
        var http = server.CreateProxiedClient();
        await TokenAsync(http, BootstrapCommand.AutomationClientId, secret, "ruum.admin");

        var (forced, again) = await BootstrapAsync(server, "bootstrap", "--admin-email", "second@ruum.test", "--force");

        Assert.Equal(0, forced);
        Assert.Equal(2, await server.WithDatabaseAsync(db => db.Set<PlatformRoleAssignment>().CountAsync()));
        var newSecret = SecretLine().Match(again).Groups[1].Value;
        Assert.NotEqual(secret, newSecret);
        var refused = await TokenResponseAsync(http, BootstrapCommand.AutomationClientId, secret, "ruum.admin");
        Assert.Equal("invalid_client", (await refused.JsonAsync()).GetProperty("error").GetString());
        await TokenAsync(http, BootstrapCommand.AutomationClientId, newSecret, "ruum.admin");
    }

    [Theory]
    [InlineData("bootstrap")]
    [InlineData("bootstrap", "--admin-email")]
    [InlineData("bootstrap", "--admin-email", "not-an-address")]
    public async Task Bootstrap_WithoutAUsableEmail_UsageAndNothingCreated(params string[] args)
    {
        await using var server = await ProductionServer.StartAsync();

        var (exit, output) = await BootstrapAsync(server, args);

        Assert.Equal(2, exit);
        Assert.StartsWith("Usage:", output, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), await CountsAsync(server));
    }

    private static async Task<(int Exit, string Output)> BootstrapAsync(RuumServer server, params string[] args)
    {
        await using var output = new StringWriter();
        var exit = await BootstrapCommand.RunAsync(server.Services, args, output);
        return (exit, output.ToString());
    }

    private static Task<(int Users, int Clients, int Events)> CountsAsync(RuumServer server) =>
        server.WithDatabaseAsync(async db => (await db.Set<User>().CountAsync(), await db.Set<OpenIddictEntityFrameworkCoreApplication>().CountAsync(),
            await db.Set<AuditEvent>().CountAsync(e => e.Type.StartsWith("admin."))));

    private static async Task<string> TokenAsync(HttpClient http, string clientId, string secret, string scope)
    {
        var response = await TokenResponseAsync(http, clientId, secret, scope);
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }

    private static Task<HttpResponseMessage> TokenResponseAsync(HttpClient http, string clientId, string secret, string scope) =>
        http.PostFormAsync("connect/token", new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }, (clientId, secret));

    [GeneratedRegex(@"https://id\.ruum\.test/account/invitation\?token=([A-Za-z0-9_%-]+)")]
    private static partial Regex InvitationLink();

    [GeneratedRegex(@"Client secret[^\n]*\n\s*([A-Za-z0-9_-]+)")]
    private static partial Regex SecretLine();
}
