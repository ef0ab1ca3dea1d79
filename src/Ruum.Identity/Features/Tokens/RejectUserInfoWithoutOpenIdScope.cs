using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// OIDC Core §5.3: userinfo answers only an access token granted <c>openid</c>. OpenIddict checks that the token is
/// valid but not its scopes, so a client-credentials token (or a user's token without <c>openid</c>) got an answer.
/// It now gets <c>insufficient_scope</c> with the status and <c>WWW-Authenticate</c> header OpenIddict gives that
/// error (RFC 6750 §3.1).
/// </summary>
internal sealed class RejectUserInfoWithoutOpenIdScope : IOpenIddictServerHandler<ValidateUserInfoRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateUserInfoRequestContext>()
            .UseSingletonHandler<RejectUserInfoWithoutOpenIdScope>()
            .SetOrder(OpenIddictServerHandlers.UserInfo.ValidateAuthentication.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateUserInfoRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.AccessTokenPrincipal is { } principal && !principal.HasScope(Scopes.OpenId))
        {
            context.Reject(Errors.InsufficientScope, "The access token was not granted the 'openid' scope.");
        }
        return default;
    }
}
