using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// A single-use link that lets an invited person set a password and enrol a second factor (accepted in
/// Features/Onboarding). Only a keyed hash of its 256-bit token is stored: the database alone cannot produce a
/// working link. The memberships it names are pending until the person has signed in with the second factor.
/// </summary>
public sealed class Invitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    /// <summary>The company that invited them, if any (a platform admin invites without one).</summary>
    public Guid? CompanyId { get; init; }

    /// <summary>The company role the membership will have; it becomes a membership only once the invitation is completed.</summary>
    public string? CompanyRole { get; init; }

    /// <summary>A project of <see cref="CompanyId"/> the person will also join, with <see cref="ProjectRole"/>, on completion.</summary>
    public string? ProjectId { get; init; }

    public string? ProjectRole { get; init; }

    /// <summary><see cref="KeyedHasher"/> of the token with purpose <see cref="Invitations.Purpose"/>; a resend replaces it.</summary>
    public required string TokenHash { get; set; }

    /// <summary>Who invited: the audit log's actor form (<c>user:&lt;id&gt;</c>, <c>client:&lt;id&gt;</c>, <c>command:bootstrap</c>).</summary>
    public required string InvitedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The link was used: a password was chosen (the token is spent).</summary>
    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>The second factor passed and the person signed in: the pending memberships became real.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
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
        builder.Property(i => i.CompanyRole).HasMaxLength(50);
        builder.Property(i => i.ProjectId).HasMaxLength(Project.IdLength);
        builder.Property(i => i.ProjectRole).HasMaxLength(50);
        builder.HasIndex(i => i.UserId);
        builder.HasIndex(i => i.CompanyId);
        builder.HasOne<User>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
        // A deleted company or project takes its pending invitations with it.
        builder.HasOne<Company>().WithMany().HasForeignKey(i => i.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany().HasForeignKey(i => i.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
