using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// The hash chain that makes edits to <c>audit_events</c> evident (ASVS V16.4.2): each row stores the previous
/// row's hash and <c>hash = SHA-256(previous_hash || canonical bytes of the row)</c>, in a gap-free
/// <c>sequence</c>. Editing, inserting or deleting a row in the middle breaks a link that <c>audit verify</c> finds.
/// Retention deletes only from the old end and always keeps the newest row, so the rest stays verifiable from the
/// oldest remaining row (whose predecessor's hash it stores). Rows written before the chain existed have no sequence.
/// </summary>
internal static class AuditChain
{
    public const int HashLength = 32;

    /// <summary>Any constant: the PostgreSQL advisory lock that orders appends across requests and instances.</summary>
    private const long AppendLockKey = 0x52_75_75_6D_41_75_64;

    private static readonly byte[] Genesis = new byte[HashLength];

    /// <summary>Appends the row as the chain's next link. Appends are serialised: concurrent ones wait for the lock.</summary>
    public static async Task AppendAsync(RuumDbContext db, AuditEvent draft, CancellationToken cancellationToken)
    {
        // SQLite's transactions begin IMMEDIATE (one writer at a time); PostgreSQL takes a transaction-scoped
        // advisory lock, released at commit, so two instances can never give two rows the same predecessor.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [AppendLockKey], cancellationToken);
        }
        var head = await db.Set<AuditEvent>().AsNoTracking().Where(e => e.Sequence != null).OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        db.Add(Link(draft, (head?.Sequence ?? 0) + 1, head?.Hash ?? Genesis));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static AuditEvent Link(AuditEvent draft, long sequence, byte[] previousHash)
    {
        // Hash what will be read back: PostgreSQL keeps microseconds, the SQLite context's converter 0.1 ms.
        var ticks = draft.OccurredAt.UtcTicks - (draft.OccurredAt.UtcTicks % 1000);
        return new()
        {
            Id = draft.Id,
            OccurredAt = new DateTimeOffset(ticks, TimeSpan.Zero),
            Type = draft.Type,
            Outcome = draft.Outcome,
            UserId = draft.UserId,
            ClientId = draft.ClientId,
            IpAddress = draft.IpAddress,
            UserAgent = draft.UserAgent,
            Details = draft.Details,
            CompanyId = draft.CompanyId,
            Sequence = sequence,
            PreviousHash = previousHash,
            Hash = HashOf(draft, sequence, previousHash, ticks),
        };
    }

    /// <summary>
    /// Whether the company column agrees with the <c>company_id</c> its hashed details name (both absent, or the same id):
    /// the column is an index of the details, so moving a row to another company's view breaks the chain's check too.
    /// </summary>
    public static bool HasConsistentCompany(AuditEvent row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return CompanyOf(row.Details) == row.CompanyId;
    }

    /// <summary>The <c>company_id</c> a row's details name, the way the admin API writes it.</summary>
    public static Guid? CompanyOf(string? details)
    {
        const string Tag = "\"company_id\":\"";
        var start = details?.IndexOf(Tag, StringComparison.Ordinal) ?? -1;
        return start >= 0 && details!.Length >= start + Tag.Length + 36
            && Guid.TryParseExact(details.AsSpan(start + Tag.Length, 36), "D", out var id) ? id : null;
    }

    /// <summary>The hash a row must have: SHA-256 over its predecessor's hash and its own fields.</summary>
    public static byte[] HashOf(AuditEvent row) => HashOf(row, row.Sequence ?? 0, row.PreviousHash ?? Genesis, row.OccurredAt.UtcTicks);

    private static byte[] HashOf(AuditEvent row, long sequence, byte[] previousHash, long occurredAtTicks)
    {
        // Canonical form: a JSON array of the fields in a fixed order (unambiguous, unlike concatenated text).
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object?[]
        {
            sequence, row.Id, occurredAtTicks, row.Type, row.Outcome, row.UserId, row.ClientId, row.IpAddress, row.UserAgent, row.Details,
        });
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(canonical);
        return sha.GetHashAndReset();
    }
}
