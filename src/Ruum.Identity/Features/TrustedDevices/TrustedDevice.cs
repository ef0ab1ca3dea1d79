using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.TrustedDevices;

/// <summary>A browser a user chose to trust. Only hashes of its cookie token and fingerprint are kept.</summary>
public sealed class TrustedDevice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public required string TokenHash { get; init; }
    public required string FingerprintHash { get; init; }

    /// <summary>"Chrome on Windows": enough for a person to recognise it, nothing more.</summary>
    public required string Label { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUsedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>
    /// Wrong passwords typed in this browser. Counted here instead of on the account, so a lock that strangers cause
    /// does not stop the owner's device, while the device's own wrong passwords still lock it (ASVS 5.0 V6.3.1).
    /// </summary>
    public int FailedPasswords { get; set; }
    public DateTimeOffset? LastPasswordFailureAt { get; set; }
    public DateTimeOffset? PasswordLockedUntil { get; set; }
}

internal sealed class TrustedDeviceConfiguration : IEntityTypeConfiguration<TrustedDevice>
{
    public void Configure(EntityTypeBuilder<TrustedDevice> builder)
    {
        builder.ToTable("trusted_devices");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.TokenHash).HasMaxLength(64);
        builder.Property(d => d.FingerprintHash).HasMaxLength(64);
        builder.Property(d => d.Label).HasMaxLength(100);
        builder.HasIndex(d => d.TokenHash).IsUnique();
        builder.HasIndex(d => d.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
