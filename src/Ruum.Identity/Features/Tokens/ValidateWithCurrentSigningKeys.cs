using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// With the database's key set, the keys this server trusts for its own tokens (at userinfo, introspection,
/// revocation and as an <c>id_token_hint</c>) are those JWKS publishes now, and the server-only key: OpenIddict's
/// validation parameters hold the keys of its options, fixed at start-up. A client's assertion keeps its own keys.
/// </summary>
internal sealed class ValidateWithCurrentSigningKeys(ServerCredentials credentials, SigningKeyRing keys) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<ValidateWithCurrentSigningKeys>()
            .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The server's own parameters carry its keys; a client assertion's resolve the client's keys instead.
        if (!keys.FromDatabase || context.TokenValidationParameters.IssuerSigningKeys is null)
        {
            return;
        }
        var current = await keys.CurrentAsync(context.CancellationToken);
        context.TokenValidationParameters.IssuerSigningKeys = [.. current.Published.Select(c => c.Key), .. credentials.ServerOnlyKeys.Select(c => c.Key)];
    }
}
