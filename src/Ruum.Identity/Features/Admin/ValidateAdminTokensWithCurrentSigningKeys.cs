using OpenIddict.Validation;
using Ruum.Identity.Features.Tokens;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Features.Admin;

/// <summary>
/// With the database's key set, the admin API trusts the keys JWKS publishes now: the local-server validation copies
/// the server's keys once, at start-up, so without this a key that began signing later (a rotation on any instance,
/// <c>keys rotate --now</c>) made every admin token fail here until a restart, and a revoked key stayed trusted.
/// </summary>
internal sealed class ValidateAdminTokensWithCurrentSigningKeys(SigningKeyRing keys) : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<ValidateAdminTokensWithCurrentSigningKeys>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!keys.FromDatabase)
        {
            return;
        }
        var current = await keys.CurrentAsync(context.CancellationToken);
        context.TokenValidationParameters.IssuerSigningKeys = [.. current.Published.Select(c => c.Key)];
    }
}
