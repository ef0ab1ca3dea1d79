using System.Globalization;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Validation;

/// <summary>
/// OpenIddict checks <c>exp</c> but not <c>nbf</c>/<c>iat</c>: a token that claims to start in the future (RFC 7519 §4.1.5)
/// is refused here. A small leeway absorbs the clock difference between the identity server and this API.
/// Runs on every request: it reads the validated principal's claims instead of parsing the token a second time.
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
        if (context.Principal is not { } principal)
        {
            return ValueTask.CompletedTask;
        }
        var latest = time.GetUtcNow() + Leeway;
        if (principal.GetCreationDate() > latest || NotBefore(principal) > latest)
        {
            context.Reject(error: Errors.InvalidToken, description: "The token is not valid yet.");
        }
        return ValueTask.CompletedTask;
    }

    private static DateTimeOffset? NotBefore(System.Security.Claims.ClaimsPrincipal principal) =>
        long.TryParse(principal.GetClaim(Claims.NotBefore), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
