using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Tokens;

/// <summary><c>Ruum:Pruning</c>: how long spent token and authorization rows are kept before the retention job deletes them.</summary>
public sealed class PruningOptions
{
    public const string Section = "Ruum:Pruning";

    /// <summary>
    /// Rows created longer ago than this and no longer valid (expired, redeemed, revoked) are deleted. Long enough
    /// that a refresh token's reuse is still recognised as reuse (RFC 9700 §4.14.2) for as long as anyone would try.
    /// </summary>
    [TimeSpanRange("01:00:00", "3650.00:00:00")]
    public TimeSpan After { get; set; } = TimeSpan.FromDays(14);
}
