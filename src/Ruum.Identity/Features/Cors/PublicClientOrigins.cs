using System.Collections.Frozen;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Clients;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Cors;

/// <summary>
/// The origins (scheme, host, port) of public clients' redirect URIs: the browser apps that may call the server
/// from their own pages. Read through OpenIddict's application manager and kept in memory for
/// <see cref="ClientOptions.CacheDuration"/>, like the clients themselves; <see cref="RuumApplicationManager{TApplication}"/>
/// forgets the set when it creates, changes or deletes a client. Confidential clients are left out: their code
/// runs on a server, and a browser on their origin has no business at the token endpoint.
/// </summary>
internal sealed class PublicClientOrigins(IMemoryCache memory, IServiceScopeFactory scopes, IOptions<ClientOptions> options)
{
    internal static readonly object CacheKey = typeof(PublicClientOrigins);

    public async ValueTask<FrozenSet<string>> GetAsync(CancellationToken cancellationToken)
    {
        if (memory.TryGetValue(CacheKey, out FrozenSet<string>? cached))
        {
            return cached!;
        }
        var origins = await ReadAsync(cancellationToken);
        if (options.Value.CacheDuration > TimeSpan.Zero)
        {
            memory.Set(CacheKey, origins, options.Value.CacheDuration);
        }
        return origins;
    }

    // Its own scope: the request's DbContext must not start tracking every client (see RuumApplicationManager).
    private async Task<FrozenSet<string>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (!await applications.HasClientTypeAsync(application, ClientTypes.Public, cancellationToken))
            {
                continue;
            }
            foreach (var redirectUri in await applications.GetRedirectUrisAsync(application, cancellationToken))
            {
                // A native app's private-use scheme (com.example.app:/callback) has no web origin.
                if (Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
                {
                    // Scheme, host and port only (no user info), default ports omitted: how browsers write Origin (RFC 6454 §6.1).
                    origins.Add(uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped));
                }
            }
        }
        return origins.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
