using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Sessions;

/// <summary>
/// OpenIddict's token manager, which also records in a refresh token's properties the browser session it was issued in
/// (<see cref="SessionClaims.SessionId"/>, carried by the principal from the authorization code on): RP-initiated logout
/// revokes a client's refresh tokens of the session it ends, not those of the user's other browsers. Written in the
/// token's own INSERT, so it costs no extra round trip.
/// </summary>
public sealed class SessionTaggingTokenManager<TToken>(
    IOpenIddictTokenCache<TToken> cache,
    ILogger<OpenIddictTokenManager<TToken>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictTokenStore<TToken> store)
    : OpenIddictTokenManager<TToken>(cache, logger, options, store)
    where TToken : class
{
    public const string SessionProperty = "ruum_session";

    public override ValueTask PopulateAsync(TToken token, OpenIddictTokenDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Type == TokenTypeIdentifiers.RefreshToken && descriptor.Principal?.GetClaim(SessionClaims.SessionId) is { } session)
        {
            descriptor.Properties[SessionProperty] = JsonSerializer.SerializeToElement(session);
        }
        return base.PopulateAsync(token, descriptor, cancellationToken);
    }
}
