using OpenIddict.Abstractions;
using OpenIddict.Server;
using Ruum.Identity.Features.Audit;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A client revoked a token at /connect/revoke (RFC 7009): the audit log records whose token, of which type, by which
/// client (ASVS V16.3.1). Runs after OpenIddict's RevokeToken, so only a revocation that happened is recorded.
/// </summary>
internal sealed class RecordRevocation(AuditLog audit) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseScopedHandler<RecordRevocation>()
            .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.GenericTokenPrincipal;
        var subject = principal?.GetClaim(OpenIddictConstants.Claims.Subject);
        await audit.RecordAsync(AuditEventTypes.TokenRevoked, AuditOutcomes.Success, Guid.TryParse(subject, out var userId) ? userId : null,
            new { token_type = principal?.GetTokenType() }, context.Request.ClientId, context.CancellationToken);
    }
}
