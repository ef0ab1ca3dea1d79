using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Clients;

public sealed class ClientSecretTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task NewClient_Always_StoresKeyedHashNeverTheSecret()
    {
        var secret = ServiceClients.NewSecret();
        var clientId = await _server.CreateServiceClientAsync(secret);

        var stored = await StoredSecretAsync(clientId);

        Assert.StartsWith("1:" + ClientSecretHasher.Prefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        await _server.ClientCredentialsAsync(clientId, secret);
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_IsInvalidClientAndChangesNothing()
    {
        var clientId = await _server.CreateServiceClientAsync(ServiceClients.NewSecret());
        var before = await StoredSecretAsync(clientId);

        var response = await RequestTokenAsync(clientId, ServiceClients.NewSecret());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(before, await StoredSecretAsync(clientId));
    }

    [Fact]
    public async Task LegacyPbkdf2Hash_RightSecret_IsAcceptedAndUpgradedToKeyedHash()
    {
        var secret = ServiceClients.NewSecret();
        var clientId = await _server.CreateServiceClientAsync(secret);
        await SetStoredSecretAsync(clientId, OpenIddictPbkdf2(secret));

        var response = await RequestTokenAsync(clientId, secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("1:" + ClientSecretHasher.Prefix, await StoredSecretAsync(clientId), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(clientId, secret)).StatusCode);
    }

    [Fact]
    public async Task LegacyPbkdf2Hash_WrongSecret_IsRefusedAndKeepsTheOldHash()
    {
        var secret = ServiceClients.NewSecret();
        var clientId = await _server.CreateServiceClientAsync(secret);
        var legacy = OpenIddictPbkdf2(secret);
        await SetStoredSecretAsync(clientId, legacy);

        var response = await RequestTokenAsync(clientId, "wrong-" + secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(legacy, await StoredSecretAsync(clientId));
    }

    [Fact]
    public void Options_DevelopmentKeyInProduction_FailsNamingTheSetting()
    {
        var validator = new ClientProductionRules(new HostingEnvironment { EnvironmentName = Environments.Production });

        var result = validator.Validate(null, new ClientOptions());

        Assert.True(result.Failed);
        Assert.Contains("Ruum:Clients:SecretHashKey", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new ClientOptions { SecretHashKey = new string('k', 40) }).Succeeded);
    }

    [Fact]
    public void Options_DevelopmentKeyInDevelopment_IsAccepted()
    {
        var validator = new ClientProductionRules(new HostingEnvironment { EnvironmentName = Environments.Development });

        Assert.False(validator.Validate(null, new ClientOptions()).Failed);
    }

    private Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret) =>
        _server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
        }, (clientId, secret));

    private Task<string> StoredSecretAsync(string clientId) =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>()
            .Where(a => a.ClientId == clientId).Select(a => a.ClientSecret!).SingleAsync());

    private Task<int> SetStoredSecretAsync(string clientId, string hash) =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>()
            .Where(a => a.ClientId == clientId).ExecuteUpdateAsync(a => a.SetProperty(x => x.ClientSecret, hash)));

    /// <summary>OpenIddict's default format (ASP.NET Core Identity v3): marker, PRF, iterations, salt length, salt, subkey.</summary>
    private static string OpenIddictPbkdf2(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, 10_000, HashAlgorithmName.SHA256, 32);
        var output = new byte[13 + salt.Length + subkey.Length];
        output[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), 1);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), 10_000);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(output, 13);
        subkey.CopyTo(output, 13 + salt.Length);
        return Convert.ToBase64String(output);
    }
}
