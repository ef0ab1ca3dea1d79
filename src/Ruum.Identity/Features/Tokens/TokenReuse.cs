using OpenIddict.Abstractions;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A spent authorization code or refresh token presented again means it leaked (RFC 6749 §4.1.2, RFC 9700 §4.14.2):
/// every token of its authorization is revoked, and the authorization itself, since stateless access tokens have no
/// row and introspection refuses them through it. The user's activity shows the event; the user's next sign-in
/// creates a new authorization.
/// </summary>
internal sealed class TokenReuse(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, AuditLog audit)
{
    public async ValueTask EndFamilyAsync(object token, string? clientId, CancellationToken cancellationToken)
    {
        var authorizationId = await tokens.GetAuthorizationIdAsync(token, cancellationToken);
        if (!string.IsNullOrEmpty(authorizationId))
        {
            await tokens.RevokeByAuthorizationIdAsync(authorizationId, cancellationToken);
            if (await authorizations.FindByIdAsync(authorizationId, cancellationToken) is { } authorization)
            {
                await authorizations.TryRevokeAsync(authorization, cancellationToken);
            }
        }
        var subject = await tokens.GetSubjectAsync(token, cancellationToken);
        await audit.RecordAsync(AuditEventTypes.TokenReused, AuditOutcomes.Failure, Guid.TryParse(subject, out var userId) ? userId : null,
            new { TokenType = await tokens.GetTypeAsync(token, cancellationToken) }, clientId, cancellationToken);
    }
}
