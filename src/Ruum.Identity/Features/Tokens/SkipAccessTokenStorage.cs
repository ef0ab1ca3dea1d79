using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Access tokens (and identity tokens) are self-contained signed JWTs that live 10 minutes: a database row each
/// would cost more than signing them, and nothing ever looks one up. Codes and refresh tokens keep their rows
/// (replay and reuse detection need them); revoking a refresh token or its authorization stops new access tokens,
/// and <see cref="AccessTokenCutoffs"/> makes introspection refuse the ones already issued.
/// </summary>
internal sealed class SkipAccessTokenStorage : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<SkipAccessTokenStorage>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TokenType is TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken)
        {
            context.CreateTokenEntry = false;
            context.PersistTokenPayload = false;
            context.IsReferenceToken = false;
        }
        return default;
    }
}
