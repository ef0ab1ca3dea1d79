using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Account;

/// <summary>
/// A pending change of a user's address. Two 256-bit tokens exist only in the two mails: the confirmation link sent
/// to the new address and the "this was not me" link sent to the old one; the row keeps their keyed hashes.
/// </summary>
public sealed class EmailChange
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }

    /// <summary>As the user typed it; it becomes <see cref="User.Email"/> on confirmation.</summary>
    public required string NewEmail { get; init; }
    public required string NormalizedNewEmail { get; init; }
    public required string TokenHash { get; init; }
    public required string CancelTokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The old address reported the change ("this was not me").</summary>
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>A newer request of the same user replaced this one.</summary>
    public DateTimeOffset? SupersededAt { get; set; }
}

internal sealed class EmailChangeConfiguration : IEntityTypeConfiguration<EmailChange>
{
    public void Configure(EntityTypeBuilder<EmailChange> builder)
    {
        builder.ToTable("email_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.NewEmail).HasMaxLength(EmailAddress.MaxLength);
        builder.Property(c => c.NormalizedNewEmail).HasMaxLength(EmailAddress.MaxLength);
        builder.Property(c => c.TokenHash).HasMaxLength(64);
        builder.HasIndex(c => c.TokenHash).IsUnique();
        builder.Property(c => c.CancelTokenHash).HasMaxLength(64);
        builder.HasIndex(c => c.CancelTokenHash).IsUnique();
        builder.HasIndex(c => c.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
