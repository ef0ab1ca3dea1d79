using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using OpenIddict.Abstractions;
using OpenIddict.Validation;

namespace Ruum.Identity.Validation;

/// <summary>
/// Discovery + JWKS, fetched once and cached. Refreshed every <see cref="RuumIdentityValidationOptions.KeyRefreshInterval"/>
/// in the background, or at once (rate-limited) when a token names a key we do not know. When the server cannot be
/// reached the last good keys stay in use, so the API keeps validating while Ruum Identity is down.
/// </summary>
internal sealed class SigningKeyCache(
    IServiceProvider services,
    IOptions<RuumIdentityValidationOptions> options,
    TimeProvider time,
    ILogger<SigningKeyCache> logger) : IConfigurationManager<OpenIddictConfiguration>, IDisposable
{
    private sealed record Snapshot(OpenIddictConfiguration Configuration, DateTimeOffset FetchedAt);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;
    private volatile bool _refreshRequested;
    private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;

    public async Task<OpenIddictConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var current = _current;
        if (current is null)
        {
            // Of the first requests that arrive together one reads the keys; the others, which find it has just
            // done so (no refresh of their own), take what it read rather than no keys at all.
            return await RefreshAsync(options.Value.UnknownKeyRefreshInterval, cancel) ?? _current?.Configuration ?? Unavailable();
        }
        if (_refreshRequested || time.GetUtcNow() - current.FetchedAt >= options.Value.KeyRefreshInterval)
        {
            // In the background: a request never waits on the server while there are keys to validate with.
            _ = Task.Run(() => RefreshAsync(options.Value.UnknownKeyRefreshInterval, CancellationToken.None), CancellationToken.None);
        }
        return current.Configuration;
    }

    /// <summary>The keys read last (null before the first read).</summary>
    internal OpenIddictConfiguration? Latest => _current?.Configuration;

    /// <summary>Called by OpenIddict when a signature key was not found: the next read refreshes (rate-limited).</summary>
    public void RequestRefresh() => _refreshRequested = true;

    /// <summary>Reads discovery and JWKS again unless an attempt was made less than <paramref name="minimumAge"/> ago.</summary>
    /// <returns>The new configuration, or null when no refresh happened or it failed (the cached one stays).</returns>
    public async Task<OpenIddictConfiguration?> RefreshAsync(TimeSpan minimumAge, CancellationToken cancel)
    {
        await _gate.WaitAsync(cancel);
        try
        {
            if (time.GetUtcNow() - _lastAttempt < minimumAge)
            {
                return null;
            }
            _lastAttempt = time.GetUtcNow();
            _refreshRequested = false;
            var retriever = (IConfigurationRetriever<OpenIddictConfiguration>)new OpenIddictValidationRetriever(
                services.GetRequiredService<OpenIddictValidationService>());
            var configuration = await retriever.GetConfigurationAsync(DiscoveryAddress(options.Value).AbsoluteUri, null!, cancel);
            _current = new Snapshot(configuration, time.GetUtcNow());
            return configuration;
        }
        catch (Exception exception) when (!cancel.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Ruum Identity discovery or JWKS could not be read; the cached signing keys stay in use.");
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    internal static Uri DiscoveryAddress(RuumIdentityValidationOptions options) =>
        new(options.Authority!, ".well-known/openid-configuration");

    // Never fetched and the server is unreachable: no keys, so every token is refused with 401 (fail closed) until it answers.
    private OpenIddictConfiguration Unavailable() => new() { Issuer = options.Value.Authority };
}
