using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Clients;

/// <summary>
/// Clients that may take the client-credentials grant with a secret, as the token endpoint's fast path needs them,
/// read through OpenIddict's managers and kept in memory like the clients themselves (<see cref="ClientOptions.CacheDuration"/>;
/// <see cref="RuumApplicationManager{TApplication}"/> forgets an entry when it changes the client). A client with
/// anything the fast path does not handle (a JWKS, per-client settings, a PBKDF2 hash from before, a hash made with an
/// earlier key, which OpenIddict's path rewrites) is "not a service client" here and keeps going through OpenIddict.
/// </summary>
public sealed class ServiceClientCache(IMemoryCache memory, IOptions<ClientOptions> options, ClientSecretHasher hasher)
{
    public async ValueTask<ServiceClient?> FindAsync(string clientId, IServiceProvider requestServices, CancellationToken cancellationToken)
    {
        if (memory.TryGetValue(CacheKey(clientId), out ServiceClient? cached))
        {
            return cached;
        }
        var applications = requestServices.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null; // unknown ids are not remembered: anyone can send them
        }
        var client = await ReadAsync(applications, application, clientId, hasher, cancellationToken);
        if (options.Value.CacheDuration > TimeSpan.Zero)
        {
            memory.Set(CacheKey(clientId), client, options.Value.CacheDuration);
        }
        return client;
    }

    internal static object CacheKey(string clientId) => (typeof(ServiceClientCache), clientId);

    private static async ValueTask<ServiceClient?> ReadAsync(IOpenIddictApplicationManager applications, object application,
        string clientId, ClientSecretHasher hasher, CancellationToken cancellationToken)
    {
        // The managers do not hand out the stored secret; the entity (ours, see AddRuumTokens) does.
        var secretHash = (application as OpenIddictEntityFrameworkCoreApplication)?.ClientSecret;
        var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
        if (!await applications.HasClientTypeAsync(application, ClientTypes.Confidential, cancellationToken)
            || !hasher.IsCurrent(secretHash)
            || (await applications.GetSettingsAsync(application, cancellationToken)).Count > 0
            || await applications.GetJsonWebKeySetAsync(application, cancellationToken) is not null
            || !permissions.Contains(Permissions.Endpoints.Token)
            || !permissions.Contains(Permissions.GrantTypes.ClientCredentials))
        {
            return null;
        }
        var scopes = permissions.Where(permission => permission.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(permission => permission[Permissions.Prefixes.Scope.Length..]);
        return new ServiceClient(clientId, await applications.GetDisplayNameAsync(application, cancellationToken), secretHash!,
            scopes.ToFrozenSet(StringComparer.Ordinal));
    }
}

/// <summary>A confidential client allowed the client-credentials grant, with its keyed secret hash and permitted scopes.</summary>
public sealed class ServiceClient(string clientId, string? name, string secretHash, FrozenSet<string> scopes)
{
    private readonly ConcurrentDictionary<string, string[]> _resources = new(StringComparer.Ordinal);

    public string ClientId { get; } = clientId;

    public string? Name { get; } = name;

    public string SecretHash { get; } = secretHash;

    public FrozenSet<string> Scopes { get; } = scopes;

    /// <summary>The audiences of these (permitted) scopes, asked of the scope manager once per combination while the client is cached.</summary>
    public async ValueTask<string[]> ResourcesAsync(string[] scopes, IServiceProvider requestServices, CancellationToken cancellationToken)
    {
        var key = string.Join(' ', scopes);
        if (!_resources.TryGetValue(key, out var resources))
        {
            resources = await requestServices.GetRequiredService<IOpenIddictScopeManager>()
                .ListResourcesAsync([.. scopes], cancellationToken).ToArrayAsync(cancellationToken);
            _resources[key] = resources;
        }
        return resources;
    }
}
