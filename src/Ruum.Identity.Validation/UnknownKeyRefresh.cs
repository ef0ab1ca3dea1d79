using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Validation;

/// <summary>
/// Runs just before the signature check: a token whose <c>kid</c> is not among the cached keys (the server rotated
/// its keys) makes the cache read JWKS again now, so the token is accepted in the same request.
/// OpenIddict alone would refuse it and only refresh for later requests.
/// </summary>
internal sealed class UnknownKeyRefresh(SigningKeyCache cache, Microsoft.Extensions.Options.IOptions<RuumIdentityValidationOptions> options)
    : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<UnknownKeyRefresh>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is not null || !context.SecurityTokenHandler.CanReadToken(context.Token))
        {
            return;
        }
        string kid;
        try
        {
            kid = new JsonWebToken(context.Token).Kid;
        }
        catch (ArgumentException)
        {
            return;
        }
        var known = context.TokenValidationParameters.IssuerSigningKeys ?? [];
        if (string.IsNullOrEmpty(kid) || known.Any(key => string.Equals(key.KeyId, kid, StringComparison.Ordinal)))
        {
            return;
        }
        var refreshed = await cache.RefreshAsync(options.Value.UnknownKeyRefreshInterval, context.CancellationToken);
        if (refreshed is not null)
        {
            context.TokenValidationParameters.IssuerSigningKeys = refreshed.SigningKeys;
        }
    }
}
