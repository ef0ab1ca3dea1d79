using Microsoft.EntityFrameworkCore;

namespace Ruum.Identity.Infrastructure.Database;

/// <summary>
/// A PostgreSQL session advisory lock, so that several instances on one database do a piece of work one at a time
/// (migrations and seed at start-up, each retention sweep, a key rotation). It is held on the context's connection,
/// opened for the purpose, and released explicitly: the pool keeps sessions open (<c>No Reset On Close</c>), so
/// closing alone would not release it. SQLite is one process's embedded database: there the lock is a no-op.
/// </summary>
internal sealed class AdvisoryLock : IAsyncDisposable
{
    /// <summary>Migrations and the Development seed.</summary>
    public const long Startup = 0x5275_756D_0001;

    /// <summary>The retention sweeps, including OpenIddict's pruning.</summary>
    public const long Sweeps = 0x5275_756D_0002;

    /// <summary>Creating or rotating signing keys.</summary>
    public const long SigningKeys = 0x5275_756D_0003;

    private readonly RuumDbContext? _db;
    private readonly long _key;

    private AdvisoryLock(RuumDbContext? db, long key)
    {
        _db = db;
        _key = key;
    }

    /// <summary>Waits until the lock is free.</summary>
    public static async Task<AdvisoryLock> AcquireAsync(RuumDbContext db, long key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            return new(null, key);
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({key})", cancellationToken);
            return new(db, key);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>The lock, or null when another session holds it (that instance is doing the work).</summary>
    public static async Task<AdvisoryLock?> TryAcquireAsync(RuumDbContext db, long key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            return new(null, key);
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        var acquired = false;
        try
        {
            acquired = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken);
            return acquired ? new(db, key) : null;
        }
        finally
        {
            if (!acquired)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is null)
        {
            return;
        }
        try
        {
            await _db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({_key})");
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
