using System.Security.Claims;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Users;

public static class SignedInUser
{
    /// <summary>The user id of a session principal (pages behind <c>[Authorize]</c> always have one).</summary>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.Parse(principal.GetClaim(Claims.Subject) ?? throw new InvalidOperationException("The principal has no subject."));
}
