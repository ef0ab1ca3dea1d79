using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Otp;

public enum SecondFactorMethod
{
    EmailCode,
    Authenticator,

    /// <summary>The company policy requires an authenticator app the user has not set up: enrolling it finishes the sign-in.</summary>
    EnrolAuthenticator,
}

/// <summary>
/// "The password was right; the second factor is pending." A row, so any instance can finish the sign-in;
/// the browser holds only its id in a Data-Protected cookie.
/// </summary>
public sealed class PendingSignIn
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public SecondFactorMethod Method { get; init; }

    /// <summary>The user's stamp when the password passed: a credential change meanwhile ends the pending sign-in.</summary>
    public required string SecurityStamp { get; init; }

    public string? ReturnUrl { get; init; }
    public string? ClientId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// Another pending sign-in of the user whose emailed code still works and also finishes this one: a right password
    /// while a code is live mails a new one only within the resend limits, otherwise the mailed code stands.
    /// </summary>
    public Guid? SharesCodeOf { get; init; }
}

internal sealed class PendingSignInConfiguration : IEntityTypeConfiguration<PendingSignIn>
{
    public void Configure(EntityTypeBuilder<PendingSignIn> builder)
    {
        builder.ToTable("pending_sign_ins");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Method).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.SecurityStamp).HasMaxLength(64);
        builder.Property(p => p.ReturnUrl).HasMaxLength(4000);
        builder.Property(p => p.ClientId).HasMaxLength(100);
        builder.HasIndex(p => p.ExpiresAt);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
