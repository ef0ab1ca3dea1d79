using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A token request whose <c>code_verifier</c> breaks RFC 7636 §4.1's syntax is a malformed request
/// (<c>invalid_request</c>, RFC 6749 §5.2), refused before the code is read: the code stays as it was.
/// </summary>
internal sealed class RejectMalformedCodeVerifier : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<RejectMalformedCodeVerifier>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateProofKeyForCodeExchangeParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.CodeVerifier is { } verifier && !ProofKeySyntax.IsValid(verifier))
        {
            context.Reject(Errors.InvalidRequest, ProofKeySyntax.Describe(Parameters.CodeVerifier));
        }
        return default;
    }
}
