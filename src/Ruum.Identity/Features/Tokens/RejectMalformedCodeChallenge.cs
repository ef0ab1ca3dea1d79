using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>An authorization request whose <c>code_challenge</c> breaks RFC 7636 §4.2's syntax is refused (<see cref="ProofKeySyntax"/>).</summary>
internal sealed class RejectMalformedCodeChallenge : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<RejectMalformedCodeChallenge>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateProofKeyForCodeExchangeParameters.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.CodeChallenge is { Length: > 0 } challenge && !ProofKeySyntax.IsValid(challenge))
        {
            context.Reject(Errors.InvalidRequest, ProofKeySyntax.Describe(Parameters.CodeChallenge));
        }
        return default;
    }
}
