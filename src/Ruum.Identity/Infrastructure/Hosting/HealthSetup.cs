using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// <c>/health/live</c>: the process answers (restart it if not). <c>/health/ready</c>: it can serve, i.e. the
/// database answers and its schema is current (send it traffic if so). Bodies are a bare status, never details.
/// </summary>
public static class HealthSetup
{
    public const string PathPrefix = "/health";
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddRuumHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapRuumHealth(this WebApplication app)
    {
        app.MapHealthChecks(PathPrefix + "/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(PathPrefix + "/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }

    private sealed class DatabaseHealthCheck(RuumDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                if (!await db.Database.CanConnectAsync(cancellationToken))
                {
                    return HealthCheckResult.Unhealthy("The database does not answer.");
                }
                var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
                return pending.Any()
                    ? HealthCheckResult.Unhealthy("The database schema is behind this build: run `migrate`.")
                    : HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is DbException or InvalidOperationException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.", exception);
            }
        }
    }
}
