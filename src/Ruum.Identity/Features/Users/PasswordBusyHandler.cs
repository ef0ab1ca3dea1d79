using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Users;

/// <summary>An overloaded password check answers 503 with Retry-After (RFC 9110 §15.6.4, §10.2.3), never a 500.</summary>
internal sealed class PasswordBusyHandler(IProblemDetailsService problems, RefusalTally refusals) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not PasswordVerificationBusyException)
        {
            return false;
        }
        refusals.Count(AuditEventTypes.PasswordBusy, httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Too many sign-in attempts right now",
                Detail = exception.Message,
            },
        });
    }
}
