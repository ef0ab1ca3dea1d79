using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// A single-use link that lets an invited person set a password and enrol a second factor (the acceptance pages come
/// with the account-recovery issue). Only a keyed hash of its 256-bit token is stored: the database alone cannot
/// produce a working link.
/// </summary>
public sealed class Invitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    /// <summary>The company that invited them, if any (a platform admin invites without one).</summary>
    public Guid? CompanyId { get; init; }

    /// <summary><see cref="KeyedHasher"/> of the token with purpose <see cref="Invitations.Purpose"/>.</summary>
    public required string TokenHash { get; init; }

    /// <summary>Who invited: the audit log's actor form (<c>user:&lt;id&gt;</c>, <c>client:&lt;id&gt;</c>, <c>command:bootstrap</c>).</summary>
    public required string InvitedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? AcceptedAt { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Property(i => i.InvitedBy).HasMaxLength(150);
        builder.HasIndex(i => i.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Creates invitations; the link carries the token, the row its keyed hash.</summary>
public sealed class Invitations(RuumDbContext db, KeyedHasher hasher, TimeProvider time)
{
    public const string Purpose = "invitation";

    /// <summary>Where the link points; the page that accepts it comes with the account-recovery issue.</summary>
    public const string AcceptPath = "account/invitation";

    /// <returns>The token for the link: shown once, never stored.</returns>
    public async Task<string> CreateAsync(Guid userId, Guid? companyId, string invitedBy, CancellationToken cancellationToken)
    {
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        db.Add(new Invitation
        {
            UserId = userId,
            CompanyId = companyId,
            TokenHash = hasher.Hash(Purpose, token),
            InvitedBy = invitedBy,
            CreatedAt = now,
            ExpiresAt = now + Invitation.Lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    public static string Link(Uri? issuer, string token) =>
        (issuer?.AbsoluteUri ?? "/") + AcceptPath + "?token=" + Uri.EscapeDataString(token);
}
