using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sentry;
using Sentry.Extensibility;

namespace Ruum.Identity.Infrastructure.Monitoring;

public static class MonitoringSetup
{
    /// <summary>Returned on every response and present on every log line of the request: what a user reports, what ops searches.</summary>
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>Scrubbed logs (JSON on the console outside Development) and, with a DSN, Sentry.</summary>
    public static WebApplicationBuilder AddRuumMonitoring(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ErrorMonitoringOptions.Section);
        builder.Services.AddOptions<ErrorMonitoringOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory, ScrubbingLoggerFactory>());
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var options = section.Get<ErrorMonitoringOptions>() ?? new ErrorMonitoringOptions();
        if (!string.IsNullOrWhiteSpace(options.Dsn))
        {
            builder.WebHost.UseSentry(sentry =>
            {
                sentry.Dsn = options.Dsn;
                sentry.Environment = options.Environment ?? builder.Environment.EnvironmentName.ToLowerInvariant();
                sentry.Release = options.Release ?? builder.Configuration["RENDER_GIT_COMMIT"];
                sentry.TracesSampleRate = options.TracesSampleRate;
                sentry.SendDefaultPii = false;
                sentry.MaxRequestBodySize = RequestSize.None;
                sentry.SendClientReports = false;
                sentry.AutoSessionTracking = false;
                sentry.MinimumBreadcrumbLevel = LogLevel.Information;
                sentry.MinimumEventLevel = LogLevel.Error;
                sentry.SetBeforeSend((sentryEvent, _) => SentryScrubbing.Scrub(sentryEvent));
                sentry.SetBeforeSendTransaction((transaction, _) => SentryScrubbing.Scrub(transaction));
                sentry.SetBeforeBreadcrumb((breadcrumb, _) => SentryScrubbing.Scrub(breadcrumb));
            });
        }
        return builder;
    }

    /// <summary>The correlation id is the W3C trace id, so logs, Sentry and an upstream <c>traceparent</c> agree.</summary>
    public static WebApplication UseRuumCorrelation(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ruum.Identity.Correlation");
        app.Use(async (context, next) =>
        {
            var correlationId = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[CorrelationHeader] = correlationId;
                return Task.CompletedTask;
            });
            context.RequestServices.GetService<IHub>()?.ConfigureScope(scope => scope.SetTag("correlation_id", correlationId));
            using (logger.BeginScope(new KeyValuePair<string, object?>[] { new("CorrelationId", correlationId) }))
            {
                await next(context);
            }
        });
        return app;
    }
}
