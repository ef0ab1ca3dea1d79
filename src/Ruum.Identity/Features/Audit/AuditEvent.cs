using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// One access event. Append-only: every property is init-only and <see cref="AuditLog"/> only inserts;
/// the retention job is the only thing that deletes. Never holds a password, code or token.
/// </summary>
public sealed class AuditEvent
{
    public const int MaxDetailsLength = 2000;
    public const int MaxUserAgentLength = 512;
    public const int MaxClientIdLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset OccurredAt { get; init; }
    public required string Type { get; init; }
    public required string Outcome { get; init; }
    public Guid? UserId { get; init; }
    public string? ClientId { get; init; }
    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>
    /// The company the event concerns (admin changes to its things), for filtering by an index. Not hashed on its own:
    /// it repeats the <c>company_id</c> of <see cref="Details"/>, which is, and <c>audit verify</c> checks that they agree.
    /// </summary>
    public Guid? CompanyId { get; init; }

    /// <summary>Small JSON object: reasons, labels, hashes. Never secrets.</summary>
    public string? Details { get; init; }

    /// <summary>Position in the hash chain (<see cref="AuditChain"/>); null only on rows written before the chain.</summary>
    public long? Sequence { get; init; }

    /// <summary>The hash of the row before this one in the chain (zeros for the first row ever).</summary>
    public byte[]? PreviousHash { get; init; }

    /// <summary>SHA-256 over <see cref="PreviousHash"/> and this row's fields.</summary>
    public byte[]? Hash { get; init; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.Outcome).HasMaxLength(16);
        builder.Property(e => e.ClientId).HasMaxLength(AuditEvent.MaxClientIdLength);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(AuditEvent.MaxUserAgentLength);
        builder.Property(e => e.Details).HasMaxLength(AuditEvent.MaxDetailsLength);
        builder.HasIndex(e => new { e.UserId, e.OccurredAt });
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.CompanyId, e.Sequence });
        builder.Property(e => e.PreviousHash).HasMaxLength(AuditChain.HashLength);
        builder.Property(e => e.Hash).HasMaxLength(AuditChain.HashLength);
        // Unique: two rows can never claim the same place in the chain, whatever a lock does.
        builder.HasIndex(e => e.Sequence).IsUnique();
    }
}
