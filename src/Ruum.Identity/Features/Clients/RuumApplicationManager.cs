using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using Ruum.Identity.Features.Cors;

namespace Ruum.Identity.Features.Clients;

/// <summary>
/// OpenIddict's application manager with <see cref="ClientSecretHasher"/> in place of PBKDF2 (hashes written
/// before keep working and are rewritten in the keyed format on their first successful use), and clients looked
/// up by client_id kept in memory for <see cref="ClientOptions.CacheDuration"/>: every token and introspection
/// request needs its client, which otherwise costs a database round trip each time. A client_id shaped like a user
/// id (a GUID) is refused on every create and update (<see cref="ValidateAsync"/>). Creating, changing or deleting
/// a client also drops the browser origins CORS allows (<see cref="PublicClientOrigins"/>).
/// </summary>
public sealed class RuumApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    ClientSecretHasher hasher,
    IMemoryCache memory,
    IOptions<ClientOptions> clientOptions)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store)
    where TApplication : class
{
    /// <remarks>
    /// The client may be the cached instance every request shares: read it, never change it. To change a client,
    /// load it with <c>FindByIdAsync</c>; passing a cached instance to <c>UpdateAsync</c> fails in EF Core, because
    /// OpenIddict's validation loads a second instance of the same row into the request's context.
    /// </remarks>
    public override async ValueTask<TApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken = default)
    {
        if (memory.TryGetValue(CacheKey(identifier), out TApplication? cached))
        {
            return cached;
        }
        var application = await base.FindByClientIdAsync(identifier, cancellationToken);
        if (application is not null && clientOptions.Value.CacheDuration > TimeSpan.Zero)
        {
            memory.Set(CacheKey(identifier), application, clientOptions.Value.CacheDuration);
        }
        return application;
    }

    public override async ValueTask CreateAsync(TApplication application, CancellationToken cancellationToken = default)
    {
        await base.CreateAsync(application, cancellationToken);
        memory.Remove(PublicClientOrigins.CacheKey);
    }

    public override async ValueTask UpdateAsync(TApplication application, CancellationToken cancellationToken = default)
    {
        await base.UpdateAsync(application, cancellationToken);
        await ForgetAsync(application, cancellationToken);
        memory.Remove(PublicClientOrigins.CacheKey);
    }

    public override async ValueTask DeleteAsync(TApplication application, CancellationToken cancellationToken = default)
    {
        await ForgetAsync(application, cancellationToken);
        await base.DeleteAsync(application, cancellationToken);
        memory.Remove(PublicClientOrigins.CacheKey);
    }

    public override async ValueTask<bool> ValidateClientSecretAsync(TApplication application, string secret,
        CancellationToken cancellationToken = default)
    {
        if (!await base.ValidateClientSecretAsync(application, secret, cancellationToken))
        {
            return false;
        }
        // PBKDF2 from before, or a hash made with an earlier key: rewritten with the current key.
        if (!hasher.IsCurrent(await Store.GetClientSecretAsync(application, cancellationToken)))
        {
            await UpgradeAsync(application, secret, cancellationToken);
        }
        return true;
    }

    /// <summary>
    /// OpenIddict's checks, and one more: a client-credentials token's <c>sub</c> is its client_id, and a user's is the
    /// user's id (a GUID), so a GUID-shaped client_id would let a client's token pass for a user's.
    /// </summary>
    public override async IAsyncEnumerable<ValidationResult> ValidateAsync(TApplication application,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var result in base.ValidateAsync(application, cancellationToken))
        {
            yield return result;
        }
        if (Guid.TryParse(await Store.GetClientIdAsync(application, cancellationToken), out _))
        {
            yield return new ValidationResult(
                "The client_id must not be shaped like a user id (a GUID): a client's own tokens carry it as their subject.");
        }
    }

    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(hasher.Hash(secret));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand,
        CancellationToken cancellationToken = default) =>
        ClientSecretHasher.IsKeyedHash(comparand)
            ? ValueTask.FromResult(hasher.Verify(secret, comparand))
            : base.ValidateClientSecretAsync(secret, comparand, cancellationToken);

    private async ValueTask ForgetAsync(TApplication application, CancellationToken cancellationToken)
    {
        if (await Store.GetClientIdAsync(application, cancellationToken) is { } clientId)
        {
            memory.Remove(CacheKey(clientId));
            memory.Remove(ServiceClientCache.CacheKey(clientId));
        }
    }

    private static (Type, string) CacheKey(string clientId) => (typeof(RuumApplicationManager<TApplication>), clientId);

    // Two requests may upgrade the same client at once; whichever loses changed nothing that matters.
    private async Task UpgradeAsync(TApplication application, string secret, CancellationToken cancellationToken)
    {
        await Store.SetClientSecretAsync(application, hasher.Hash(secret), cancellationToken);
        try
        {
            await Store.UpdateAsync(application, cancellationToken);
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            Logger.LogInformation("Another request already upgraded this client's secret hash.");
        }
    }
}
