using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Account;

/// <summary><c>Ruum:EmailChange</c>: changing the account's address from the account centre.</summary>
public sealed class EmailChangeOptions
{
    public const string Section = "Ruum:EmailChange";

    [TimeSpanRange("00:10:00", "7.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);
}
