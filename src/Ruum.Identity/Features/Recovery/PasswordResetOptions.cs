using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Recovery;

/// <summary><c>Ruum:PasswordReset</c>: the forgotten-password links.</summary>
public sealed class PasswordResetOptions
{
    public const string Section = "Ruum:PasswordReset";

    [TimeSpanRange("00:05:00", "1.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Links mailed per account per hour; a request beyond it answers the same and mails nothing.</summary>
    [Range(1, 20)]
    public int MaxLinksPerHour { get; set; } = 3;

    /// <summary>Second-factor codes mailed per link (users without an authenticator app).</summary>
    [Range(1, 10)]
    public int MaxCodesPerLink { get; set; } = 3;
}
