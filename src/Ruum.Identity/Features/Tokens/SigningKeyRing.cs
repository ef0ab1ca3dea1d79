using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Tokens;

/// <summary>What signs access and identity tokens now, and what JWKS publishes.</summary>
internal sealed record SigningKeySet(SigningCredentials Signing, IReadOnlyList<SigningCredentials> Published);

/// <summary>
/// The signing keys every token request needs, without a database read per request: the configured keys when there
/// are any, else the database's key set, read again at most <see cref="RefreshInterval"/> after the last read (so a
/// rotation on one instance holds on every other within it) and at each activation or retirement in between. Of
/// requests that find the set stale, one reads it and the others go on with the set they have.
/// </summary>
internal sealed partial class SigningKeyRing(ServerCredentials credentials, IServiceScopeFactory scopes, TimeProvider time,
    ILogger<SigningKeyRing> logger) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private readonly SigningKeySet? _configured = credentials.Configured.Count > 0
        ? new(credentials.Configured[0], credentials.Configured) : null;

    private readonly SemaphoreSlim _reading = new(1, 1);

    // Keys already decrypted and imported, by id: reading the set again reuses them (and IdentityModel's per-key caches).
    private readonly Dictionary<string, SigningCredentials> _imported = new(StringComparer.Ordinal);

    private volatile Snapshot? _snapshot;

    public bool FromDatabase => _configured is null;

    public ValueTask<SigningKeySet> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_configured is not null)
        {
            return new(_configured);
        }
        var snapshot = _snapshot;
        return snapshot is not null && time.GetUtcNow() < snapshot.ValidUntil
            ? new(snapshot.Keys)
            : new(ReadAsync(snapshot, cancellationToken));
    }

    /// <summary>Reads the set again at the next use (a command on this instance changed it).</summary>
    public void Invalidate() => _snapshot = _snapshot is { } snapshot ? snapshot with { ValidUntil = DateTimeOffset.MinValue } : null;

    private async Task<SigningKeySet> ReadAsync(Snapshot? stale, CancellationToken cancellationToken)
    {
        if (stale is null)
        {
            await _reading.WaitAsync(cancellationToken);
        }
        else if (!await _reading.WaitAsync(0, cancellationToken))
        {
            return stale.Keys;
        }
        try
        {
            var now = time.GetUtcNow();
            if (_snapshot is { } fresh && now < fresh.ValidUntil)
            {
                return fresh.Keys;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<SigningKeyStore>();
                var rows = await store.LoadAsync(cancellationToken);
                _snapshot = Build(rows, store, now);
            }
            catch (Exception exception) when (stale is not null && exception is not OperationCanceledException)
            {
                // The database is unreachable: keep the set (moved on to this moment) and try again shortly.
                LogReadFailed(logger, exception);
                _snapshot = Build(stale.Rows, null, now) with { ValidUntil = now + RetryAfterFailure };
            }
            return _snapshot.Keys;
        }
        finally
        {
            _reading.Release();
        }
    }

    private Snapshot Build(IReadOnlyList<SigningKey> rows, SigningKeyStore? store, DateTimeOffset now)
    {
        var signing = SigningKeyStore.SigningAt(rows, now)
            ?? throw new InvalidOperationException("No signing key is active in the database's key set.");
        var published = rows.Where(k => k.IsPublishedAt(now)).OrderByDescending(k => k == signing).ThenByDescending(k => k.ActivatesAt)
            .Select(k => Import(k, store)).ToList();
        // The set changes by itself when a key activates or retires: read again then at the latest.
        var next = rows.Where(k => k.IsPublishedAt(now)).SelectMany(k => new[] { k.ActivatesAt, k.RetiresAt ?? DateTimeOffset.MaxValue })
            .Where(at => at > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var refresh = now + RefreshInterval;
        return new(rows, new(published[0], published), next < refresh ? next : refresh);
    }

    private SigningCredentials Import(SigningKey key, SigningKeyStore? store)
    {
        if (!_imported.TryGetValue(key.Id, out var imported))
        {
            var pem = (store ?? throw new InvalidOperationException("A new signing key cannot be read while the database is unreachable.")).Unprotect(key);
            imported = new SigningCredentials(SigningKeys.FromPem(pem), key.Algorithm);
            _imported[key.Id] = imported;
        }
        return imported;
    }

    public void Dispose() => _reading.Dispose();

    private sealed record Snapshot(IReadOnlyList<SigningKey> Rows, SigningKeySet Keys, DateTimeOffset ValidUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The signing key set could not be read; the keys read before stay in use")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
