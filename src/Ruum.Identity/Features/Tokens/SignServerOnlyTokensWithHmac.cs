using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Authorization codes and refresh tokens are read by this server alone (and are encrypted too): an HMAC-SHA256
/// signature protects them as well as an RSA one at a small fraction of its cost, which is one RSA signature fewer
/// per refresh. Every other token, access and identity tokens above all, is signed with the signing key of the
/// moment (<see cref="SigningKeyRing"/>: the first configured key, else the database's active key), which JWKS
/// publishes: OpenIddict's own choice follows its sorted credentials, fixed at start-up, which put symmetric keys
/// first and do not keep the configured order among the others.
/// </summary>
internal sealed class SignServerOnlyTokensWithHmac(ServerCredentials credentials, SigningKeyRing keys) : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<SignServerOnlyTokensWithHmac>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SigningCredentials = context.TokenType is TokenTypeIdentifiers.Private.AuthorizationCode or TokenTypeIdentifiers.RefreshToken
            ? credentials.ServerOnly
            : (await keys.CurrentAsync(context.CancellationToken)).Signing;
    }
}
