using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Ruum.Identity.Features.Clients;

/// <summary>
/// OpenIddict's scope manager with the scopes → resources (audiences) answer kept in memory for
/// <see cref="ClientOptions.CacheDuration"/>: every token issued needs it, and scopes change rarely.
/// </summary>
public sealed class RuumScopeManager<TScope>(
    IOpenIddictScopeCache<TScope> cache,
    ILogger<OpenIddictScopeManager<TScope>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictScopeStore<TScope> store,
    IMemoryCache memory,
    IOptions<ClientOptions> clientOptions)
    : OpenIddictScopeManager<TScope>(cache, logger, options, store)
    where TScope : class
{
    public override async IAsyncEnumerable<string> ListResourcesAsync(ImmutableArray<string> scopes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var key = (typeof(RuumScopeManager<TScope>), string.Join(' ', scopes.Order(StringComparer.Ordinal)));
        if (!memory.TryGetValue(key, out string[]? resources) || resources is null)
        {
            resources = await base.ListResourcesAsync(scopes, cancellationToken).ToArrayAsync(cancellationToken);
            if (clientOptions.Value.CacheDuration > TimeSpan.Zero)
            {
                memory.Set(key, resources, clientOptions.Value.CacheDuration);
            }
        }
        foreach (var resource in resources)
        {
            yield return resource;
        }
    }
}
