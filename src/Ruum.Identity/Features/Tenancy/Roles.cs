using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>Where a role applies: to Ruum itself, to a whole company, or to one project.</summary>
public enum RoleScope
{
    Platform,
    Company,
    Project,
}

/// <summary>A named set of permissions. Names are unique within a scope (company and project both have a <c>viewer</c>).</summary>
public sealed class Role
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public RoleScope Scope { get; init; }

    public required string Name { get; init; }

    public required string Description { get; set; }
}

/// <summary>Something a role allows, e.g. <c>project.write</c>. Ruum APIs check these names.</summary>
public sealed class Permission
{
    public required string Name { get; init; }

    public required string Description { get; set; }
}

public sealed class RolePermission
{
    public Guid RoleId { get; init; }

    public required string PermissionName { get; init; }
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> builder)
    {
        builder.ToTable("roles");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Scope).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Name).HasMaxLength(50);
        builder.Property(r => r.Description).HasMaxLength(500);
        builder.HasIndex(r => new { r.Scope, r.Name }).IsUnique();
        builder.HasData(RoleCatalogue.Roles);
    }
}

internal sealed class PermissionConfiguration : IEntityTypeConfiguration<Permission>
{
    public void Configure(EntityTypeBuilder<Permission> builder)
    {
        builder.ToTable("permissions");
        builder.HasKey(p => p.Name);
        builder.Property(p => p.Name).HasMaxLength(50);
        builder.Property(p => p.Description).HasMaxLength(500);
        builder.HasData(RoleCatalogue.Permissions);
    }
}

internal sealed class RolePermissionConfiguration : IEntityTypeConfiguration<RolePermission>
{
    public void Configure(EntityTypeBuilder<RolePermission> builder)
    {
        builder.ToTable("role_permissions");
        builder.HasKey(rp => new { rp.RoleId, rp.PermissionName });
        builder.HasOne<Role>().WithMany().HasForeignKey(rp => rp.RoleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Permission>().WithMany().HasForeignKey(rp => rp.PermissionName).OnDelete(DeleteBehavior.Cascade);
        builder.HasData(RoleCatalogue.RolePermissions);
    }
}
