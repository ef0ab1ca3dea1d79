using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.TrustedDevices;

/// <summary><c>Ruum:TrustedDevices</c>.</summary>
public sealed class TrustedDeviceOptions
{
    public const string Section = "Ruum:TrustedDevices";

    /// <summary>How long a trusted device skips the code: 30 days by default, never more than 90.</summary>
    [TimeSpanRange("00:01:00", "90.00:00:00", ErrorMessage = "Ruum:TrustedDevices:Lifetime must be between 1 minute and 90 days.")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}
