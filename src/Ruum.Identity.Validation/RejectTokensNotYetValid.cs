using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Validation;

/// <summary>
/// OpenIddict checks <c>exp</c> but not <c>nbf</c>/<c>iat</c>: a token that claims to start in the future (RFC 7519 §4.1.5)
/// is refused here. A small leeway absorbs the clock difference between the identity server and this API.
/// </summary>
internal sealed class RejectTokensNotYetValid(TimeProvider time) : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(30);

    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<RejectTokensNotYetValid>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateExpirationDate.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is null || !context.SecurityTokenHandler.CanReadToken(context.Token))
        {
            return ValueTask.CompletedTask;
        }
        var token = new JsonWebToken(context.Token);
        var latest = time.GetUtcNow().UtcDateTime + Leeway;
        if (token.ValidFrom > latest || token.IssuedAt > latest)
        {
            context.Reject(error: Errors.InvalidToken, description: "The token is not valid yet.");
        }
        return ValueTask.CompletedTask;
    }
}
