using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Features.Users;

/// <summary><c>Ruum:Passwords</c>.</summary>
public sealed class PasswordOptions
{
    public const string Section = "Ruum:Passwords";
    public const string DevelopmentPepper = "development-pepper-not-for-production";

    /// <summary>bcrypt cost; hashes below it are upgraded at the next successful sign-in.</summary>
    [Range(4, 31)]
    public int WorkFactor { get; set; } = 12;

    /// <summary>Server-side secret mixed in (HMAC-SHA384) before bcrypt; a stolen database alone cannot be cracked.</summary>
    [Required, MinLength(16)]
    public string Pepper { get; set; } = DevelopmentPepper;

    /// <summary>The id stored in front of every hash <see cref="Pepper"/> makes (hashes from before ids belong to <c>1</c>).</summary>
    [Required, RegularExpression(Infrastructure.Secrets.VersionedKeys.IdPattern)]
    public string PepperId { get; set; } = Infrastructure.Secrets.VersionedKeys.LegacyId;

    /// <summary>Earlier peppers by id: their passwords still verify, and are rehashed with <see cref="Pepper"/> at the next sign-in.</summary>
    public Dictionary<string, string> PreviousPeppers { get; } = [];

    [Range(8, 1024)]
    public int MinimumLength { get; set; } = 12;

    /// <summary>bcrypt verifications allowed at once; 0 means one per core (more only queue inside the CPU).</summary>
    [Range(0, 1024)]
    public int MaxConcurrentVerifications { get; set; }

    /// <summary>
    /// Linux nice value of the threads that run bcrypt (0 = normal priority, 19 = lowest). With CPUs busy, a thread at
    /// nice 10 gets about a tenth of the share of one at 0, so a login flood cannot crowd out tokens; idle CPU still
    /// goes to logins in full.
    /// </summary>
    [Range(0, 19)]
    public int VerificationNice { get; set; } = 10;

    /// <summary>How long an attempt waits for a free verification slot before it is refused with 503 + Retry-After.</summary>
    public TimeSpan VerificationQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
