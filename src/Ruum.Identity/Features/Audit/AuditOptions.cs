using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Features.Audit;

/// <summary><c>Ruum:Audit</c>: how long access events are kept (GDPR storage limitation) and how they are pruned.</summary>
public sealed class AuditOptions
{
    public const string Section = "Ruum:Audit";

    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 365;

    /// <summary>Rows deleted per statement, so pruning never holds long locks.</summary>
    [Range(1, 100_000)]
    public int DeleteBatchSize { get; set; } = 1000;

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many recent events <c>/account/activity</c> shows.</summary>
    [Range(1, 500)]
    public int ActivityPageSize { get; set; } = 50;
}
