using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Audit;

/// <summary>Deletes access events older than the retention period, in batches.</summary>
public sealed class AuditRetention(RuumDbContext db, IOptions<AuditOptions> options, TimeProvider time)
{
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = time.GetUtcNow().AddDays(-settings.RetentionDays);
        var total = 0;
        while (true)
        {
            var batch = db.Set<AuditEvent>().Where(e => e.OccurredAt < cutoff).OrderBy(e => e.OccurredAt)
                .Select(e => e.Id).Take(settings.DeleteBatchSize);
            var deleted = await db.Set<AuditEvent>().Where(e => batch.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < settings.DeleteBatchSize)
            {
                return total;
            }
        }
    }
}

/// <summary>Runs <see cref="AuditRetention"/> on every instance; the deletes are idempotent, so instances need no coordination.</summary>
internal sealed partial class AuditRetentionJob(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time,
    ILogger<AuditRetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var deleted = await scope.ServiceProvider.GetRequiredService<AuditRetention>().DeleteExpiredAsync(stoppingToken);
                LogSwept(logger, deleted);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed sweep (database restarting, not yet migrated) is retried at the next tick.
                LogSweepFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention deleted {Count} expired events")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit retention sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
