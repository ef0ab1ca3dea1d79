using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A signing key of the database's key set (used when no key is configured): published in JWKS from its creation,
/// signing from <see cref="ActivatesAt"/> until a newer key activates, published until <see cref="RetiresAt"/>,
/// or neither once <see cref="RevokedAt"/> is set. Every instance reads the same set, so all publish the same JWKS.
/// </summary>
public sealed class SigningKey
{
    /// <summary>The JWK thumbprint (RFC 7638), the <c>kid</c> tokens name.</summary>
    public required string Id { get; init; }

    public required string Algorithm { get; init; }

    /// <summary>The PKCS#8 PEM private key, encrypted with Data Protection: a database dump alone cannot sign.</summary>
    public required string ProtectedPrivateKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ActivatesAt { get; init; }

    /// <summary>Set when a newer key is created: when the last token this key signed has expired.</summary>
    public DateTimeOffset? RetiresAt { get; set; }

    /// <summary>Set by <c>keys rotate --now</c>: withdrawn from JWKS at once, so APIs refuse its tokens at their next key refresh.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsPublishedAt(DateTimeOffset now) => RevokedAt is null && (RetiresAt is null || RetiresAt > now);
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(100);
        builder.Property(k => k.Algorithm).HasMaxLength(20);
    }
}
