using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Admin.Bootstrap;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary><c>Ruum:Provisioning</c> as <c>migrate</c> applies it: declared clients and scopes, idempotently.</summary>
public sealed class ProvisioningTests
{
    private static readonly string Secret = ServiceClients.NewSecret();

    private static Dictionary<string, string?> Declared(string clientId, string scope, string? secret) => new()
    {
        ["Ruum:Provisioning:Scopes:0:Name"] = scope,
        ["Ruum:Provisioning:Scopes:0:DisplayName"] = "Reports",
        ["Ruum:Provisioning:Scopes:0:Resources:0"] = "reports-api",
        ["Ruum:Provisioning:Clients:0:ClientId"] = clientId,
        ["Ruum:Provisioning:Clients:0:DisplayName"] = "Reports job",
        ["Ruum:Provisioning:Clients:0:Type"] = "confidential",
        ["Ruum:Provisioning:Clients:0:GrantTypes:0"] = "client_credentials",
        ["Ruum:Provisioning:Clients:0:Scopes:0"] = scope,
        [$"Ruum:Provisioning:Secrets:{clientId}"] = secret,
    };

    [Fact]
    public async Task Apply_Twice_CreatesOnceWithTheSecretSettingAndChangesNothingTheSecondTime()
    {
        await using var server = await RuumServer.StartAsync(Declared("reports-job", "reports.read", Secret));

        Assert.Equal(0, await Provisioning.ApplyAsync(server.Services, TextWriter.Null));
        var after = await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking().SingleAsync(a => a.ClientId == "reports-job"));
        var events = await AdminEventsAsync(server);
        Assert.Equal(0, await Provisioning.ApplyAsync(server.Services, TextWriter.Null));

        var again = await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking().SingleAsync(a => a.ClientId == "reports-job"));
        Assert.Equal(after.ConcurrencyToken, again.ConcurrencyToken);
        Assert.Equal(events, await AdminEventsAsync(server));
        Assert.Equal(2, events); // one scope, one client
        var token = await server.ClientCredentialsAsync("reports-job", Secret, "reports.read");
        Assert.Equal("reports-api", Jwt.Payload(token.GetProperty("access_token").GetString()!).GetProperty("aud").GetString());
    }

    [Fact]
    public async Task Apply_ConfidentialClientWithoutSecretSetting_FailsAndCreatesNoClient()
    {
        await using var server = await RuumServer.StartAsync(Declared("no-secret-job", "nosecret.read", null));
        await using var output = new StringWriter();

        Assert.Equal(1, await Provisioning.ApplyAsync(server.Services, output));

        Assert.Contains("Ruum__Provisioning__Secrets__no-secret-job", output.ToString(), StringComparison.Ordinal);
        Assert.False(await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.ClientId == "no-secret-job")));
    }

    [Fact]
    public async Task Apply_SecretReadFromAJsonFile_RefusedAndNoClientCreated()
    {
        var file = Path.Combine(Path.GetTempPath(), "ruum-provisioning-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, $$"""{ "Ruum": { "Provisioning": { "Secrets": { "file-job": "{{Secret}}" } } } }""");
        await using var server = await RuumServer.StartAsync(Declared("file-job", "file.read", null),
            web => web.ConfigureAppConfiguration(config => config.AddJsonFile(file)));
        await using var output = new StringWriter();

        Assert.Equal(1, await Provisioning.ApplyAsync(server.Services, output));

        Assert.Contains("never in a file", output.ToString(), StringComparison.Ordinal);
        Assert.False(await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.ClientId == "file-job")));
        File.Delete(file);
    }

    [Fact]
    public async Task Apply_DeclaredRedirectUriBreakingTheRules_FailsLikeTheApi()
    {
        var settings = Declared("bad-web", "bad.read", null);
        settings["Ruum:Provisioning:Clients:0:Type"] = "public";
        settings["Ruum:Provisioning:Clients:0:GrantTypes:0"] = "authorization_code";
        settings["Ruum:Provisioning:Clients:0:RedirectUris:0"] = "http://ruum.es/cb";
        await using var server = await RuumServer.StartAsync(settings);
        await using var output = new StringWriter();

        Assert.Equal(1, await Provisioning.ApplyAsync(server.Services, output));

        Assert.Contains("redirectUris[0]", output.ToString(), StringComparison.Ordinal);
        Assert.False(await server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.ClientId == "bad-web")));
    }

    private static Task<int> AdminEventsAsync(RuumServer server) =>
        server.WithDatabaseAsync(db => db.Set<AuditEvent>().CountAsync(e => e.Type.StartsWith("admin.") && e.Details!.Contains("command:provisioning")));
}
