using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>Confidential clients for the client-credentials grant, authenticated by a secret or by a key (private_key_jwt).</summary>
public static class ServiceClients
{
    public static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static Task<string> CreateServiceClientAsync(this RuumServer server, string secret) =>
        server.CreateConfidentialClientAsync(descriptor => descriptor.ClientSecret = secret);

    public static Task<string> CreateKeyAuthenticatedClientAsync(this RuumServer server, JsonWebKeySet keys) =>
        server.CreateConfidentialClientAsync(descriptor => descriptor.JsonWebKeySet = keys);

    private static async Task<string> CreateConfidentialClientAsync(this RuumServer server, Action<OpenIddictApplicationDescriptor> credentials)
    {
        var clientId = "service-" + Guid.NewGuid().ToString("N")[..12];
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Confidential,
            DisplayName = "Test service",
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + "ruum.api",
            },
        };
        credentials(descriptor);
        await server.WithServicesAsync(async services =>
            await services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(descriptor));
        return clientId;
    }
}
