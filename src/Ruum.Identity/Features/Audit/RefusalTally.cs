using System.Collections.Concurrent;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// Refusals that come in floods (rate limit, password checks busy) are audited as one row per client IP per minute
/// with a count, never one row per request: a flood must not become a flood of audit writes. Counted in memory per
/// instance and written once the minute is over (<see cref="RefusalTallyFlush"/>), so N instances write at most N
/// rows per IP and minute. Beyond <see cref="MaxKeys"/> addresses in a minute the rest share one row without an IP.
/// </summary>
public sealed class RefusalTally(TimeProvider time)
{
    private const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<(string Type, string? Ip, DateTimeOffset Minute), int> _counts = new();

    public void Count(string type, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var minute = MinuteOf(time.GetUtcNow());
        var ip = context.Connection.RemoteIpAddress?.ToString();
        if (_counts.Count >= MaxKeys && !_counts.ContainsKey((type, ip, minute)))
        {
            ip = null;
        }
        _counts.AddOrUpdate((type, ip, minute), 1, (_, count) => count + 1);
    }

    public static DateTimeOffset MinuteOf(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    /// <summary>Writes and forgets the counts of every minute before <paramref name="before"/>.</summary>
    public async Task FlushAsync(AuditLog audit, DateTimeOffset before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        foreach (var key in _counts.Keys.Where(k => k.Minute < before).OrderBy(k => k.Minute).ToList())
        {
            if (_counts.TryRemove(key, out var count))
            {
                await audit.RecordFromAsync(key.Ip, key.Type, AuditOutcomes.Failure,
                    new { count, minute = key.Minute.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) },
                    cancellationToken);
            }
        }
    }
}

/// <summary>Writes the finished minutes of <see cref="RefusalTally"/> every minute, and what is left at shutdown.</summary>
internal sealed partial class RefusalTallyFlush(RefusalTally tally, IServiceScopeFactory scopes, TimeProvider time, ILogger<RefusalTallyFlush> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(RefusalTally.MinuteOf(time.GetUtcNow()), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the counts so far, including this minute's, are written below.
        }
        await FlushAsync(DateTimeOffset.MaxValue, CancellationToken.None);
    }

    private async Task FlushAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await tally.FlushAsync(scope.ServiceProvider.GetRequiredService<AuditLog>(), before, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database may be away; those counts are lost rather than retried forever.
            LogFlushFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing refusal counts to the audit log failed")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
