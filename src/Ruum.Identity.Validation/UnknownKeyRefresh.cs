using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
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
        if (context.Principal is not null || KeyIdOf(context.Token) is not { Length: > 0 } kid)
        {
            return;
        }
        var known = context.TokenValidationParameters.IssuerSigningKeys ?? [];
        if (known.Any(key => string.Equals(key.KeyId, kid, StringComparison.Ordinal)))
        {
            return;
        }
        // No refresh of its own when one has just been made (say, the periodic one, in the background): its keys then.
        var refreshed = await cache.RefreshAsync(options.Value.UnknownKeyRefreshInterval, context.CancellationToken) ?? cache.Latest;
        if (refreshed is not null && !ReferenceEquals(refreshed, context.Configuration))
        {
            context.TokenValidationParameters.IssuerSigningKeys = refreshed.SigningKeys;
        }
    }

    /// <summary>
    /// The <c>kid</c> of a compact JWS, read from its header alone: this runs on every request, and OpenIddict parses
    /// the whole token right after. Anything that is not a well-formed header gives null and is left to OpenIddict.
    /// </summary>
    internal static string? KeyIdOf(string? token)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || dot > MaxHeaderLength)
        {
            return null;
        }
        Span<byte> header = stackalloc byte[Base64Url.GetMaxDecodedLength(dot)];
        if (Base64Url.DecodeFromChars(token.AsSpan(0, dot), header, out _, out var written) != OperationStatus.Done)
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(header[..written]);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("kid"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    // A JOSE header is a few hundred bytes; a longer first segment is not worth decoding on the stack.
    private const int MaxHeaderLength = 2048;
}
