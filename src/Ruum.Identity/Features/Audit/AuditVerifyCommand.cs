using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// <c>audit verify</c>: walks the hash chain from the oldest remaining row to the newest and reports the first
/// broken or missing link (exit code 1), or that the chain is intact (exit code 0). Needs only SELECT.
/// </summary>
public static class AuditVerifyCommand
{
    private const int BatchSize = 1000;

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RuumDbContext>();
        AuditEvent? previous = null;
        AuditEvent? first = null;
        var count = 0L;
        while (true)
        {
            var after = previous?.Sequence ?? long.MinValue;
            var batch = await db.Set<AuditEvent>().AsNoTracking().Where(e => e.Sequence != null && e.Sequence > after)
                .OrderBy(e => e.Sequence).Take(BatchSize).ToListAsync(cancellationToken);
            foreach (var row in batch)
            {
                if (Broken(previous, row) is { } problem)
                {
                    await output.WriteLineAsync($"Audit chain broken at row {row.Id} (sequence {row.Sequence}, {row.OccurredAt:O}): {problem}.");
                    return 1;
                }
                first ??= row;
                previous = row;
                count++;
            }
            if (batch.Count < BatchSize)
            {
                break;
            }
        }
        if (first is not null)
        {
            // A row without a place in the chain, written after the chain began, was inserted around it.
            var firstAt = first.OccurredAt;
            var unchained = await db.Set<AuditEvent>().AsNoTracking().Where(e => e.Sequence == null && e.OccurredAt >= firstAt)
                .Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken);
            if (unchained is { } id)
            {
                await output.WriteLineAsync($"Audit chain broken at row {id}: the row is not part of the chain.");
                return 1;
            }
        }
        await output.WriteLineAsync(first is null ? "Audit chain intact: no chained rows."
            : $"Audit chain intact: {count} rows, sequence {first.Sequence} to {previous!.Sequence}, oldest from {first.OccurredAt:O}.");
        return 0;
    }

    private static string? Broken(AuditEvent? previous, AuditEvent row)
    {
        if (previous is not null && row.Sequence != previous.Sequence + 1)
        {
            return $"rows {previous.Sequence + 1} to {row.Sequence - 1} are missing after row {previous.Id}";
        }
        if (previous is not null && !SameBytes(row.PreviousHash, previous.Hash))
        {
            return $"it does not link to row {previous.Id} before it";
        }
        if (!SameBytes(row.Hash, AuditChain.HashOf(row)))
        {
            return "its contents do not match its hash (the row was changed)";
        }
        return AuditChain.HasConsistentCompany(row) ? null : "its company column does not match the company its details name (the row was changed)";
    }

    private static bool SameBytes(byte[]? a, byte[]? b) => a is not null && b is not null && a.AsSpan().SequenceEqual(b);
}
