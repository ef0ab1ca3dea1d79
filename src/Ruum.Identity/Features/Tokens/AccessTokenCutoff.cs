using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Tokens;

public enum CutoffKind
{
    User,
    Client,
}

/// <summary>
/// "Access tokens issued to this user (or this client) before <see cref="NotBefore"/> are no longer valid."
/// Stateless access tokens have no row to revoke; this one row per user or client does the job for introspection.
/// </summary>
public sealed class AccessTokenCutoff
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required CutoffKind Kind { get; init; }

    /// <summary>The user id (the token's <c>sub</c>) or the client id.</summary>
    public required string Key { get; init; }

    public DateTimeOffset NotBefore { get; set; }
}

internal sealed class AccessTokenCutoffConfiguration : IEntityTypeConfiguration<AccessTokenCutoff>
{
    public void Configure(EntityTypeBuilder<AccessTokenCutoff> builder)
    {
        builder.ToTable("access_token_cutoffs");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Key).HasMaxLength(200);
        // The only query: the cutoffs of one token's subject and client.
        builder.HasIndex(c => new { c.Kind, c.Key }).IsUnique();
    }
}
