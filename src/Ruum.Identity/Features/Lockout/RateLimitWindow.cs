using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Lockout;

/// <summary>
/// One fixed window of one rate limit (<c>login:203.0.113.7</c>, <c>client-failures:dev-service</c>, ...), in the
/// database so every instance adds to the same count: N instances give the budget of one.
/// </summary>
public sealed class RateLimitWindow
{
    public string Key { get; init; } = "";

    /// <summary>The window's end: part of the key, so a new window is a new row and an old one only waits for the sweep.</summary>
    public DateTimeOffset EndsAt { get; init; }

    public int Count { get; set; }
}

internal sealed class RateLimitWindowConfiguration : IEntityTypeConfiguration<RateLimitWindow>
{
    public const int MaxKeyLength = 300;

    public void Configure(EntityTypeBuilder<RateLimitWindow> builder)
    {
        builder.ToTable("rate_limit_windows");
        builder.HasKey(w => new { w.Key, w.EndsAt });
        builder.Property(w => w.Key).HasMaxLength(MaxKeyLength);
        builder.HasIndex(w => w.EndsAt);
    }
}
