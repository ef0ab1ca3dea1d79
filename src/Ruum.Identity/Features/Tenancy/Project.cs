using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>A construction project; it belongs to exactly one company.</summary>
public sealed class Project
{
    /// <summary>
    /// Ten random base62 characters (~59 bits), not a Guid: every access token carries one per project
    /// membership in <c>project_roles</c>, and a 36-character id would push 200 of them past 8 KB.
    /// </summary>
    public string Id { get; init; } = NewId();

    public Guid CompanyId { get; init; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public const int IdLength = 10;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewId() => RandomNumberGenerator.GetString(Alphabet, IdLength);
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(Project.IdLength);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.HasOne<Company>().WithMany().HasForeignKey(p => p.CompanyId).OnDelete(DeleteBehavior.Cascade);
        // Lets a project membership point at (project, company) so the database itself checks the company matches.
        builder.HasAlternateKey(p => new { p.Id, p.CompanyId });
    }
}
