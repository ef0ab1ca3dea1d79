using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Infrastructure.Monitoring;

/// <summary><c>Ruum:Sentry</c>: error monitoring. Without a DSN nothing is sent anywhere.</summary>
public sealed class ErrorMonitoringOptions
{
    public const string Section = "Ruum:Sentry";

    /// <summary>The project's DSN (a secret: it lets anyone post events). Unset, Sentry is off.</summary>
    public string? Dsn { get; set; }

    /// <summary>Defaults to the host environment name (<c>production</c>).</summary>
    public string? Environment { get; set; }

    /// <summary>Defaults to Render's <c>RENDER_GIT_COMMIT</c>, so every event names the deployed commit.</summary>
    public string? Release { get; set; }

    /// <summary>Share of requests traced for performance; 0 sends errors only.</summary>
    [Range(0.0, 1.0)]
    public double TracesSampleRate { get; set; }
}
