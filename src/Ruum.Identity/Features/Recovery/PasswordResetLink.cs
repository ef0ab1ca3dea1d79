using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Recovery;

/// <summary>
/// One emailed "reset your password" link. The 256-bit token exists only in the mail; the row keeps its keyed hash.
/// Spent, superseded and expired rows stay a while: they count toward the hourly limit and say why a link fails.
/// </summary>
public sealed class PasswordResetLink
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public required string TokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>When a newer link for the same account replaced this one.</summary>
    public DateTimeOffset? SupersededAt { get; set; }

    /// <summary>The second factor emailed for this link (users without an authenticator), as a keyed hash.</summary>
    public string? CodeHash { get; set; }
    public DateTimeOffset? CodeSentAt { get; set; }
    public int CodesSent { get; set; }
    public int CodeFailedAttempts { get; set; }
}

internal sealed class PasswordResetLinkConfiguration : IEntityTypeConfiguration<PasswordResetLink>
{
    public void Configure(EntityTypeBuilder<PasswordResetLink> builder)
    {
        builder.ToTable("password_reset_links");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.CodeHash).HasMaxLength(64);
        builder.HasIndex(l => new { l.UserId, l.CreatedAt });
        builder.HasOne<User>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
