using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Ruum.Identity.Features.Clients;

/// <summary>
/// OpenIddict's application manager with <see cref="ClientSecretHasher"/> in place of PBKDF2. Hashes written
/// before keep working and are rewritten in the keyed format on their first successful use.
/// </summary>
public sealed class RuumApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    ClientSecretHasher hasher)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store)
    where TApplication : class
{
    public override async ValueTask<bool> ValidateClientSecretAsync(TApplication application, string secret,
        CancellationToken cancellationToken = default)
    {
        if (!await base.ValidateClientSecretAsync(application, secret, cancellationToken))
        {
            return false;
        }
        if (!ClientSecretHasher.IsKeyedHash(await Store.GetClientSecretAsync(application, cancellationToken)))
        {
            await UpgradeAsync(application, secret, cancellationToken);
        }
        return true;
    }

    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(hasher.Hash(secret));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand,
        CancellationToken cancellationToken = default) =>
        ClientSecretHasher.IsKeyedHash(comparand)
            ? ValueTask.FromResult(hasher.Verify(secret, comparand))
            : base.ValidateClientSecretAsync(secret, comparand, cancellationToken);

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
