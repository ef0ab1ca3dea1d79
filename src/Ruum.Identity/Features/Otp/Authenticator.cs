using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Otp;

/// <summary>A user's authenticator app (RFC 6238). At most one per user; unconfirmed until a valid code is entered.</summary>
public sealed class Authenticator
{
    public Guid UserId { get; init; }

    /// <summary>The base32 secret, protected with ASP.NET Core Data Protection (keys in the database).</summary>
    public required string ProtectedSecret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The last RFC 6238 time step accepted: a code's step is never accepted twice.</summary>
    public long LastUsedTimeStep { get; set; }
}

/// <summary>Single-use codes for when the authenticator is lost; only their keyed hashes are kept.</summary>
public sealed class RecoveryCode
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public required string CodeHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class AuthenticatorConfiguration : IEntityTypeConfiguration<Authenticator>, IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<Authenticator> builder)
    {
        builder.ToTable("authenticators");
        builder.HasKey(a => a.UserId);
        builder.Property(a => a.ProtectedSecret).HasMaxLength(1000);
        builder.HasOne<User>().WithOne().HasForeignKey<Authenticator>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.ToTable("recovery_codes");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.CodeHash).HasMaxLength(64);
        builder.HasIndex(r => new { r.UserId, r.CodeHash }).IsUnique();
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
