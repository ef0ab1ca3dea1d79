using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>Who may call the admin API at all, and what everyone else gets (nothing changes for them).</summary>
public sealed class AdminAccessTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Clients_NoToken_401ProblemWithBearerChallenge()
    {
        var response = await _server.AdminHttp(null).GetAsync("api/admin/clients");

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Clients_ForgedToken_401InvalidToken()
    {
        var token = await _server.AutomationTokenAsync();
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);

        var response = await _server.AdminHttp(forged).GetAsync("api/admin/clients");

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateClient_TokenWithoutAdminScope_403AndNothingCreated()
    {
        var apiToken = (await _server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;
        var clientId = "no-scope-" + Guid.NewGuid().ToString("N")[..8];

        var response = await _server.AdminHttp(apiToken).PostJsonAsync("api/admin/clients", ClientsApiTests.Confidential(clientId));

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("insufficient_scope", problem.GetProperty("reason").GetString());
        Assert.False(await ClientsApiTests.ExistsAsync(_server, clientId));
    }

    [Fact]
    public async Task CreateClient_PlatformAdminPasswordOnlyToken_403NamingMfaAndNothingCreated()
    {
        var console = await _server.CreateConsoleClientAsync();
        var admin = await _server.CreatePlatformAdminAsync();
        var token = await _server.PasswordOnlyTokenAsync(console, admin.Email);
        var clientId = "pwd-only-" + Guid.NewGuid().ToString("N")[..8];

        var response = await _server.AdminHttp(token).PostJsonAsync("api/admin/clients", ClientsApiTests.Confidential(clientId));

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("mfa_required", problem.GetProperty("reason").GetString());
        Assert.Contains("second factor", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await ClientsApiTests.ExistsAsync(_server, clientId));
    }

    [Fact]
    public async Task Clients_PlatformAdminWithSecondFactor_200()
    {
        var console = await _server.CreateConsoleClientAsync();
        var token = await _server.UserTokenAsync(console, DevelopmentSeed.OwnerEmail, DevelopmentSeed.Password);
        Assert.Contains("mfa", Jwt.Payload(token).GetProperty("amr").EnumerateArray().Select(m => m.GetString()));

        var response = await _server.AdminHttp(token).GetAsync("api/admin/clients");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreateClient_CompanyAdmin_403PlatformOnlyAndNothingCreated()
    {
        var console = await _server.CreateConsoleClientAsync();
        var admin = await _server.CreateCompanyUserAsync(await _server.CreateCompanyAsync(), RoleCatalogue.CompanyAdmin);
        var token = await _server.UserTokenAsync(console, admin.Email);
        var clientId = "company-admin-" + Guid.NewGuid().ToString("N")[..8];

        var response = await _server.AdminHttp(token).PostJsonAsync("api/admin/clients", ClientsApiTests.Confidential(clientId));

        Assert.Equal("platform_admin_required", (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("reason").GetString());
        Assert.False(await ClientsApiTests.ExistsAsync(_server, clientId));
    }

    [Fact]
    public async Task Clients_CompanyMemberWhoAdministersNothing_403()
    {
        var console = await _server.CreateConsoleClientAsync();
        var member = await _server.CreateCompanyUserAsync(await _server.CreateCompanyAsync(), RoleCatalogue.CompanyMember);
        var token = await _server.UserTokenAsync(console, member.Email);

        var response = await _server.AdminHttp(token).GetAsync("api/admin/clients");

        Assert.Equal("not_an_admin", (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Clients_TokenOfAUserDisabledSince_401()
    {
        var console = await _server.CreateConsoleClientAsync();
        var admin = await _server.CreatePlatformAdminAsync();
        var token = await _server.UserTokenAsync(console, admin.Email);
        await _server.WithDatabaseAsync(db => db.Set<Ruum.Identity.Features.Users.User>().Where(u => u.Id == admin.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.IsEnabled, false)));

        var response = await _server.AdminHttp(token).GetAsync("api/admin/clients");

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OpenApiDocument_Served_AsOpenApi31WithTheAdminPaths()
    {
        var response = await _server.CreatePlainClient().GetAsync("api/admin/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/admin/clients", paths);
        Assert.Contains("/api/admin/clients/{clientId}/secret", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/connect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReferencePage_Development_Served()
    {
        var response = await _server.CreatePlainClient().GetAsync("api/admin/reference");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    internal static Task<int> CountClientsAsync(RuumServer server) =>
        server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().CountAsync());
}
