using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Otp;

/// <summary>One emailed code, stored only as a keyed hash bound to its pending sign-in.</summary>
public sealed class EmailCode
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PendingSignInId { get; init; }
    public Guid UserId { get; init; }
    public required string CodeHash { get; init; }
    public bool IsResend { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class EmailCodeConfiguration : IEntityTypeConfiguration<EmailCode>
{
    public void Configure(EntityTypeBuilder<EmailCode> builder)
    {
        builder.ToTable("otp_email_codes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.CodeHash).HasMaxLength(64);
        builder.HasIndex(c => c.PendingSignInId);
        builder.HasIndex(c => new { c.UserId, c.CreatedAt });
        builder.HasOne<PendingSignIn>().WithMany().HasForeignKey(c => c.PendingSignInId).OnDelete(DeleteBehavior.Cascade);
    }
}
