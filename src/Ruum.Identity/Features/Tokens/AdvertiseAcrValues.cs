using System.Collections.Immutable;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Ruum.Identity.Features.Otp;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// OpenID Connect Discovery §3 <c>acr_values_supported</c>: the class a client may ask for with <c>acr_values</c>
/// (see <see cref="SignInDemand"/>). OpenIddict has no option for it, so the discovery document gets it here, before
/// OpenIddict's security requirements and additional metadata: Microsoft.IdentityModel 8.0's configuration reader (ASP.NET Core's OpenID
/// Connect handler) throws when <c>acr_values_supported</c> is the document's last member.
/// </summary>
internal sealed class AdvertiseAcrValues : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public const string MetadataName = "acr_values_supported";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<AdvertiseAcrValues>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    private static readonly OpenIddictParameter Values = new(ImmutableArray.Create<string?>(SecondFactorFacts.MultiFactorContext));

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Metadata[MetadataName] = Values;
        return default;
    }
}
