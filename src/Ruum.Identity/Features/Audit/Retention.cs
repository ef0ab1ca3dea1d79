using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Audit;

/// <summary>Something kept only for a while (GDPR storage limitation): the retention job deletes what has expired.</summary>
public interface IRetentionSweep
{
    /// <returns>How many rows were deleted.</returns>
    Task<int> DeleteExpiredAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Deletes access events older than the retention period, in batches, only from the old end of the hash chain
/// (<see cref="AuditChain"/>) and never its newest row, so what remains still verifies from its oldest row.
/// </summary>
public sealed class AuditRetention(RuumDbContext db, IOptions<AuditOptions> options, TimeProvider time) : IRetentionSweep
{
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = time.GetUtcNow().AddDays(-settings.RetentionDays);
        var total = 0;
        if (db.Database.IsNpgsql())
        {
            // The server's role may not DELETE audit_events: the owner's function prunes (migration AuditHashChain).
            while (true)
            {
                var pruned = await db.Database.SqlQuery<int>(
                    $"SELECT audit_events_delete_expired({cutoff}, {settings.DeleteBatchSize}) AS \"Value\"").SingleAsync(cancellationToken);
                total += pruned;
                if (pruned < settings.DeleteBatchSize)
                {
                    return total;
                }
            }
        }
        var events = db.Set<AuditEvent>();
        // The first row to keep: the oldest one not yet expired, else the chain's head.
        var keepFrom = await events.Where(e => e.Sequence != null && e.OccurredAt >= cutoff).MinAsync(e => e.Sequence, cancellationToken)
            ?? await events.MaxAsync(e => e.Sequence, cancellationToken) ?? long.MinValue;
        while (true)
        {
            var batch = events.Where(e => e.Sequence < keepFrom || (e.Sequence == null && e.OccurredAt < cutoff))
                .OrderBy(e => e.Sequence).Select(e => e.Id).Take(settings.DeleteBatchSize);
            var deleted = await events.Where(e => batch.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < settings.DeleteBatchSize)
            {
                return total;
            }
        }
    }
}

/// <summary>
/// Runs every <see cref="IRetentionSweep"/>, on one instance at a time (an advisory lock): an instance that finds
/// another sweeping skips its turn, so several instances never race to delete the same rows.
/// </summary>
internal sealed partial class RetentionJob(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time,
    ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first sweep waits one interval: a starting instance has more urgent work than pruning.
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed sweep (database restarting, not yet migrated) is retried at the next tick.
                LogSweepFailed(logger, exception);
            }
        }
    }

    /// <returns>False when another instance holds the sweep lock and this run did nothing.</returns>
    internal async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var lockScope = scopes.CreateAsyncScope();
        await using var sweepLock = await AdvisoryLock.TryAcquireAsync(
            lockScope.ServiceProvider.GetRequiredService<RuumDbContext>(), AdvisoryLock.Sweeps, cancellationToken);
        if (sweepLock is null)
        {
            LogSkipped(logger);
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        foreach (var sweep in scope.ServiceProvider.GetServices<IRetentionSweep>())
        {
            LogSwept(logger, sweep.GetType().Name, await sweep.DeleteExpiredAsync(cancellationToken));
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention {Sweep} deleted {Count} expired rows")]
    private static partial void LogSwept(ILogger logger, string sweep, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweeps skipped: another instance is sweeping")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
