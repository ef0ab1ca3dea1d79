using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.SampleApi.Projects;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>
/// The identity server (with a signing key the tests know, to forge tokens) and the sample API pointed at it,
/// each on its own loopback port; the API's store holds the seeded projects.
/// </summary>
public sealed class TenancyFixture : IAsyncLifetime
{
    public static readonly string SigningKeyPem = CreateRsaPem();

    public RuumServer Server { get; private set; } = null!;

    public SampleApiServer Api { get; private set; } = null!;

    public Guid Acme { get; private set; }

    public Guid Beta { get; private set; }

    public string TorreNorte { get; private set; } = "";

    public string ResidencialSur { get; private set; } = "";

    public string BetaProject { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Signing:Keys:0:Pem"] = SigningKeyPem });
        await Server.WithDatabaseAsync(async db =>
        {
            Acme = (await db.Set<Company>().SingleAsync(c => c.Name == DevelopmentSeed.AcmeCompany)).Id;
            Beta = (await db.Set<Company>().SingleAsync(c => c.Name == DevelopmentSeed.BetaCompany)).Id;
            TorreNorte = (await db.Set<Project>().SingleAsync(p => p.Name == "Torre Norte")).Id;
            ResidencialSur = (await db.Set<Project>().SingleAsync(p => p.Name == "Residencial Sur")).Id;
            BetaProject = (await db.Set<Project>().SingleAsync(p => p.CompanyId == Beta)).Id;
        });
        Api = await SampleApiServer.StartAsync(Server.BaseAddress);
        ResetApiData();
    }

    /// <summary>The API's own data for the seeded projects, as each test expects to find it.</summary>
    public void ResetApiData()
    {
        Api.Store.Save(new SampleProject(TorreNorte, Acme, "Torre Norte", [new("owner", "Olivia Owner", "manager"), new("member", "Mario Member", "viewer")]));
        Api.Store.Save(new SampleProject(ResidencialSur, Acme, "Residencial Sur", [new("owner", "Olivia Owner", "manager"), new("member", "Mario Member", "editor")]));
        Api.Store.Save(new SampleProject(BetaProject, Beta, "Nave Industrial Este", []));
    }

    public async Task<JsonElement> TokensForAsync(string email, string password = DevelopmentSeed.Password, string? scope = null,
        IDictionary<string, string?>? extra = null)
    {
        var flow = scope is null ? new AuthorizationCodeFlow(Server) : new AuthorizationCodeFlow(Server) { Scope = scope };
        return await flow.GetTokensAsync(email, password, extra);
    }

    public async Task<string> AccessTokenForAsync(string email) =>
        (await TokensForAsync(email)).GetProperty("access_token").GetString()!;

    /// <summary>A new user, member of <paramref name="companies"/> with the given company role.</summary>
    public async Task<User> CreateMemberAsync(string companyRole, params Guid[] companies)
    {
        var user = await Server.CreateUserAsync();
        await Server.WithServicesAsync(async services =>
        {
            var directory = services.GetRequiredService<TenancyDirectory>();
            foreach (var company in companies)
            {
                await directory.SetCompanyRoleAsync(user.Id, company, companyRole);
            }
        });
        return user;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Server.DisposeAsync();
    }

    public static string CreateRsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
