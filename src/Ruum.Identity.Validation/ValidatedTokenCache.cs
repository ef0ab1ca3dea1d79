using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Validation;

/// <summary>
/// A client sends the same access token with every request for its whole life, so its signature is checked once:
/// the principal IdentityModel made of it (signature, issuer and <c>typ</c> checked) is kept and a copy is handed to
/// each later request, whose expiry, audience and not-before checks still run every time. Keyed by the whole token
/// string, so only the exact token that was validated matches. An entry counts only for the signing keys it was
/// validated with: once the keys are read again, every token is validated afresh (a removed key stops at once).
/// </summary>
internal sealed class ValidatedTokenCache(IOptions<RuumIdentityValidationOptions> options) : IDisposable
{
    private sealed record Entry(ClaimsPrincipal Principal, OpenIddictConfiguration Keys);

    // None when switched off (size 0).
    private readonly MemoryCache? _entries = options.Value.ValidatedTokenCacheSize > 0
        ? new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.ValidatedTokenCacheSize })
        : null;

    public static IEnumerable<OpenIddictValidationHandlerDescriptor> Descriptors { get; } =
    [
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<Reuse>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build(),
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<Capture>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build(),
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<Remember>()
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build(),
    ];

    private static readonly string CapturedProperty = typeof(ValidatedTokenCache).FullName!;

    /// <summary>Whether <paramref name="token"/> is remembered as validated.</summary>
    internal bool Remembers(string token) => _entries?.TryGetValue(token, out _) == true;

    public void Dispose() => _entries?.Dispose();

    // Only bearer access tokens: the one kind of token an API validates.
    [MemberNotNullWhen(true, nameof(_entries))]
    private bool Applies(ValidateTokenContext context) =>
        _entries is not null && context.ValidTokenTypes is { Count: 1 } types && types.Contains(TokenTypeIdentifiers.AccessToken) &&
        !string.IsNullOrEmpty(context.Token);

    /// <summary>Before IdentityModel: a token validated before with the current keys gets a copy of its principal.</summary>
    internal sealed class Reuse(ValidatedTokenCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (context.Principal is null && cache.Applies(context) &&
                cache._entries.TryGetValue(context.Token, out Entry? entry) && ReferenceEquals(entry!.Keys, context.Configuration))
            {
                context.Principal = entry.Principal.Clone();
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>After IdentityModel: a copy of the principal it has just made, before later handlers add to it.</summary>
    internal sealed class Capture(ValidatedTokenCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (context.TokenValidationResult is { IsValid: true } && context.Principal is { } principal && cache.Applies(context))
            {
                context.Transaction.Properties[CapturedProperty] = principal.Clone();
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Last, so only a token every check accepted (a rejection stops the handlers): kept until it expires.</summary>
    internal sealed class Remember(ValidatedTokenCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (cache._entries is not null && context.Transaction.Properties.Remove(CapturedProperty, out var captured) &&
                captured is ClaimsPrincipal principal &&
                long.TryParse(principal.GetClaim(Claims.ExpiresAt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiresAt))
            {
                cache._entries.Set(context.Token, new Entry(principal, context.Configuration), new MemoryCacheEntryOptions
                {
                    AbsoluteExpiration = DateTimeOffset.FromUnixTimeSeconds(expiresAt),
                    Size = 1,
                });
            }
            return ValueTask.CompletedTask;
        }
    }
}
