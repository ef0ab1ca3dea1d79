using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>A user's place in a company: one company role.</summary>
public sealed class CompanyMembership
{
    public Guid UserId { get; init; }

    public Guid CompanyId { get; init; }

    public Guid RoleId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the user last picked this company on the picker page; the latest one is their default.</summary>
    public DateTimeOffset? ChosenAt { get; set; }
}

/// <summary>A user's role in one project. Requires a membership of the project's company (a composite foreign key).</summary>
public sealed class ProjectMembership
{
    public Guid UserId { get; init; }

    public required string ProjectId { get; init; }

    public Guid CompanyId { get; init; }

    public Guid RoleId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A role for Ruum staff (e.g. <c>platform_admin</c>), independent of any company.</summary>
public sealed class PlatformRoleAssignment
{
    public Guid UserId { get; init; }

    public Guid RoleId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class CompanyMembershipConfiguration : IEntityTypeConfiguration<CompanyMembership>
{
    public void Configure(EntityTypeBuilder<CompanyMembership> builder)
    {
        builder.ToTable("company_memberships");
        builder.HasKey(m => new { m.UserId, m.CompanyId });
        builder.HasIndex(m => m.CompanyId);
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Company>().WithMany().HasForeignKey(m => m.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Role>().WithMany().HasForeignKey(m => m.RoleId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProjectMembershipConfiguration : IEntityTypeConfiguration<ProjectMembership>
{
    public void Configure(EntityTypeBuilder<ProjectMembership> builder)
    {
        builder.ToTable("project_memberships");
        builder.HasKey(m => new { m.UserId, m.ProjectId });
        builder.Property(m => m.ProjectId).HasMaxLength(Project.IdLength);
        builder.HasIndex(m => m.ProjectId);
        // Leaving the company removes the user's projects in it; and no project membership without one.
        builder.HasOne<CompanyMembership>().WithMany()
            .HasForeignKey(m => new { m.UserId, m.CompanyId }).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany()
            .HasForeignKey(m => new { m.ProjectId, m.CompanyId })
            .HasPrincipalKey(p => new { p.Id, p.CompanyId }).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Role>().WithMany().HasForeignKey(m => m.RoleId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PlatformRoleAssignmentConfiguration : IEntityTypeConfiguration<PlatformRoleAssignment>
{
    public void Configure(EntityTypeBuilder<PlatformRoleAssignment> builder)
    {
        builder.ToTable("platform_role_assignments");
        builder.HasKey(a => new { a.UserId, a.RoleId });
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Role>().WithMany().HasForeignKey(a => a.RoleId).OnDelete(DeleteBehavior.Restrict);
    }
}
