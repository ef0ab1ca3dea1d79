using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// JWKS lists the same public keys until the process restarts (keys come from configuration at start-up), so they are
/// exported once. OpenIddict exports them on every request, and with OpenSSL 3 that export (through its encoder
/// lookup) made a JWKS answer cost about five times a discovery answer. The first request runs OpenIddict's own
/// handler, so the published keys are exactly what it would publish.
/// </summary>
internal sealed class CachedSigningKeys : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<CachedSigningKeys>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    private readonly OpenIddictServerHandlers.Discovery.AttachSigningKeys _export = new();
    private JsonWebKey[]? _keys;

    public async ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_keys is null)
        {
            // Two first requests at once both export: same keys, no harm.
            var export = new HandleJsonWebKeySetRequestContext(context.Transaction);
            await _export.HandleAsync(export);
            _keys = [.. export.Keys];
        }
        context.Keys.AddRange(_keys);
    }
}
