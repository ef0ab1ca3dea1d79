using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// The database does not answer (restarting, failing over, unreachable, pool exhausted, timed out): the request fails at
/// once with 503 and <c>Retry-After</c>, never a 500 with an error event. OAuth endpoints answer with the
/// <c>temporarily_unavailable</c> error code (RFC 6749 §4.1.2.1, used by token endpoints the same way), browsers with a
/// page, other callers with problem+json. Nothing is retried here: the connection timeouts (DatabaseOptions) bound the wait,
/// and the next request simply opens a new connection, so the server recovers without a restart.
/// </summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    /// <summary>Seconds a client should wait: a PostgreSQL restart or a Neon compute wake-up takes a few.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        logger.LogWarning("The database is unavailable ({Reason}); answered 503.", Innermost(exception).Message);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        var path = httpContext.Request.Path;
        if (HostingSetup.IsBrowserRequest(httpContext))
        {
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(Page, cancellationToken);
        }
        else if (path.StartsWithSegments("/connect"))
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["error"] = "temporarily_unavailable",
                ["error_description"] = "The server is temporarily unable to handle the request. Retry later.",
            }), cancellationToken);
        }
        else
        {
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "Temporarily unavailable", Detail = "Retry later." },
            });
        }
        return true;
    }

    /// <summary>A transient Npgsql failure (Npgsql says which: broken or refused connections, timeouts, admin shutdown),
    /// at any depth: EF Core wraps save failures in DbUpdateException.</summary>
    internal static bool IsDatabaseUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }

    private static Exception Innermost(Exception exception) => exception.InnerException is { } inner ? Innermost(inner) : exception;

    // Self-contained (no layout): rendering the normal page could need the database again.
    private const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Temporarily unavailable - Ruum</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
        <h1>Temporarily unavailable</h1>
        <p>Ruum sign-in is briefly unavailable. Nothing was lost: please go back and try again in a few seconds.</p>
        </body></html>
        """;
}
