using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Lockout;

/// <summary><c>Ruum:Lockout</c>: wrong passwords per account, and request rates per client network (IPv4 address or IPv6 /64).</summary>
public sealed class LockoutOptions
{
    public const string Section = "Ruum:Lockout";

    /// <summary>Consecutive wrong passwords that lock the account.</summary>
    [Range(1, 100)]
    public int MaxFailedPasswords { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>After the n-th wrong password the next attempt waits FirstDelay × 2^(n-1) (a growing delay before the lock).</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Password posts per client network per window.</summary>
    [Range(1, 100_000)]
    public int LoginRequestsPerWindow { get; set; } = 20;

    /// <summary>Code posts (verify, resend, recovery) per client network per window.</summary>
    [Range(1, 100_000)]
    public int CodeRequestsPerWindow { get; set; } = 30;

    /// <summary>Failed client authentications (token and introspection endpoints) per client id per window.</summary>
    [Range(1, 100_000)]
    public int ClientAuthenticationFailuresPerWindow { get; set; } = 10;

    /// <summary>Length of the fixed windows the per-network limits count in (shared by every instance through the database).</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
