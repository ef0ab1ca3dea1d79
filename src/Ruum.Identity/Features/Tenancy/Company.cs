using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>A customer organisation: its people hold a company role and work on its projects.</summary>
public sealed class Company
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    // The company's security policy (see SecurityPolicies): the strictest of a user's companies applies at sign-in.

    /// <summary>Only an authenticator app counts as a second factor: emailed codes are no AAL2 authenticator (NIST SP 800-63B §5.1.3).</summary>
    public bool RequireAuthenticator { get; set; }

    /// <summary>Members may not skip the second factor on a remembered device.</summary>
    public bool ForbidTrustedDevices { get; set; }

    /// <summary>The longest a member's browser session may last (absolute), or null for the server's own limit.</summary>
    public int? MaxSessionMinutes { get; set; }
}

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> builder)
    {
        builder.ToTable("companies");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(200);
    }
}
