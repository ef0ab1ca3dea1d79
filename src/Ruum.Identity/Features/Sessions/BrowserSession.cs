using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Sessions;

/// <summary>
/// One signed-in browser (ASVS V7.3, V7.4). The cookie holds only <see cref="Id"/>; the authentication ticket lives here,
/// so deleting the row ends the session at once on every instance, and its timeouts are judged from this row.
/// </summary>
public sealed class BrowserSession
{
    /// <summary>Random (version 4), not time-ordered: it is the session's key, and is shown in the sessions page's forms.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    public Guid UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Written at most once a minute (<see cref="BrowserSessionStore"/>), so the idle timeout is exact to a minute.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public string? IpAddress { get; set; }

    /// <summary>"Chrome on Windows" (<see cref="TrustedDevices.DeviceFingerprint"/>).</summary>
    public required string DeviceLabel { get; set; }

    /// <summary>How the user signed in: the <c>amr</c> values, space-separated.</summary>
    public required string Methods { get; set; }

    /// <summary>The client ids this session signed into, space-separated.</summary>
    public string ClientIds { get; set; } = "";

    /// <summary>The cookie's authentication ticket, serialized and protected with Data Protection.</summary>
    public required byte[] Ticket { get; set; }

    public const int MaxClientIdsLength = 2000;

    public IEnumerable<string> Clients => ClientIds.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class BrowserSessionConfiguration : IEntityTypeConfiguration<BrowserSession>
{
    public void Configure(EntityTypeBuilder<BrowserSession> builder)
    {
        builder.ToTable("browser_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.IpAddress).HasMaxLength(45);
        builder.Property(s => s.DeviceLabel).HasMaxLength(100);
        builder.Property(s => s.Methods).HasMaxLength(100);
        builder.Property(s => s.ClientIds).HasMaxLength(BrowserSession.MaxClientIdsLength);
        builder.HasIndex(s => s.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
