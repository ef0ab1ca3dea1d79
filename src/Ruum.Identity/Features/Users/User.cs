namespace Ruum.Identity.Features.Users;

/// <summary>A person who signs in. Our own small model: no ASP.NET Core Identity.</summary>
public sealed class User
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>As the user typed it, for display and for mail.</summary>
    public required string Email { get; set; }

    /// <summary>NFKC + lower-case: the unique key sign-in looks up (see <see cref="EmailAddress"/>).</summary>
    public required string NormalizedEmail { get; set; }

    public required string DisplayName { get; set; }

    public required string PasswordHash { get; set; }

    public bool IsEnabled { get; set; } = true;

    /// <summary>The address was shown to reach this user (a completed reset link); tokens say so as <c>email_verified</c>.</summary>
    public bool EmailVerified { get; set; }

    /// <summary>Changes whenever credentials change, so every session and refresh token issued before is refused.</summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
