using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Clients;

/// <summary>
/// A client's own token has its client_id as subject, a user's token the user's id (a GUID): a GUID-shaped client_id
/// is refused by the application manager, so by every way a client is created or changed.
/// </summary>
public sealed class ClientIdTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Theory]
    [InlineData("D")]
    [InlineData("N")]
    [InlineData("B")]
    [InlineData("upper")]
    public async Task Create_GuidShapedClientId_IsRefusedAndNothingIsStored(string shape)
    {
        var guid = Guid.NewGuid();
        var clientId = shape == "upper" ? guid.ToString().ToUpperInvariant() : guid.ToString(shape);
        var before = await ClientCountAsync();

        var failure = await Assert.ThrowsAsync<OpenIddictExceptions.ValidationException>(() =>
            _server.WithServicesAsync(async services => await services.GetRequiredService<IOpenIddictApplicationManager>()
                .CreateAsync(ServiceClient(clientId))));

        Assert.Contains(failure.Results, result => result.ErrorMessage!.Contains("must not be shaped like a user id", StringComparison.Ordinal));
        Assert.Equal(before, await ClientCountAsync());
    }

    [Fact]
    public async Task Update_ToAGuidShapedClientId_IsRefusedAndTheClientKeepsItsId()
    {
        var clientId = await _server.CreateServiceClientAsync(ServiceClients.NewSecret());

        var failure = await Assert.ThrowsAsync<OpenIddictExceptions.ValidationException>(() =>
            _server.WithServicesAsync(async services =>
            {
                var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
                var id = await applications.GetIdAsync((await applications.FindByClientIdAsync(clientId))!);
                var application = (await applications.FindByIdAsync(id!))!;
                var descriptor = new OpenIddictApplicationDescriptor();
                await applications.PopulateAsync(descriptor, application);
                descriptor.ClientId = Guid.NewGuid().ToString();
                await applications.UpdateAsync(application, descriptor);
            }));

        Assert.Contains(failure.Results, result => result.ErrorMessage!.Contains("must not be shaped like a user id", StringComparison.Ordinal));
        Assert.Equal(1, await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().CountAsync(a => a.ClientId == clientId)));
    }

    [Theory]
    [InlineData("service-0f8fad5b")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950")] // one digit short
    public async Task Create_ClientIdNotAGuid_IsAccepted(string clientId)
    {
        await _server.WithServicesAsync(async services =>
            await services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(ServiceClient(clientId)));

        await _server.ClientCredentialsAsync(clientId, "a-secret-long-enough-for-the-test");
    }

    private static OpenIddictApplicationDescriptor ServiceClient(string clientId) => new()
    {
        ClientId = clientId,
        ClientSecret = "a-secret-long-enough-for-the-test",
        ClientType = ClientTypes.Confidential,
        Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "ruum.api" },
    };

    private Task<int> ClientCountAsync() =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().CountAsync());
}
