using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// JWKS lists the published keys of <see cref="SigningKeyRing"/>, exported once per key set rather than per request:
/// with OpenSSL 3 the export (through its encoder lookup) made a JWKS answer cost about five times a discovery answer.
/// The export is OpenIddict's own handler, run over the set's keys, so the published keys are exactly what it would
/// publish.
/// </summary>
internal sealed class CachedSigningKeys(SigningKeyRing ring) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<CachedSigningKeys>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    private readonly OpenIddictServerHandlers.Discovery.AttachSigningKeys _export = new();
    private volatile Exported? _exported;

    public async ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var set = await ring.CurrentAsync(context.CancellationToken);
        var exported = _exported;
        if (exported is null || !ReferenceEquals(exported.Set, set))
        {
            // Two first requests at once both export: same keys, no harm.
            var options = new OpenIddictServerOptions();
            options.SigningCredentials.AddRange(set.Published);
            var export = new HandleJsonWebKeySetRequestContext(new OpenIddictServerTransaction
            {
                Options = options,
                Logger = context.Logger,
            });
            await _export.HandleAsync(export);
            exported = new(set, [.. export.Keys]);
            _exported = exported;
        }
        context.Keys.AddRange(exported.Keys);
    }

    private sealed record Exported(SigningKeySet Set, JsonWebKey[] Keys);
}
