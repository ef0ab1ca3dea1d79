using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// A request body the server will not read is the client's error, not a 500 and an error event in Sentry: too large
/// (413), cut short or a form beyond <c>FormOptions</c>' limits (400), a form in a charset .NET will not decode
/// (415: ASP.NET Core's form reader throws on UTF-7). A client that hung up mid-body gets nothing, as it is gone. Razor Pages already answer such bodies with 400 during model binding; this covers the rest, the
/// OpenIddict endpoints above all, whose form is read by OpenIddict before any code of ours runs.
/// </summary>
internal sealed class UnreadableRequestHandler(IProblemDetailsService problems, ILogger<UnreadableRequestHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ConnectionResetException)
        {
            logger.LogDebug("The client reset the connection before its request was read.");
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return true;
        }
        int? refusedWith = exception switch
        {
            BadHttpRequestException refused => refused.StatusCode,
            // Thrown by ASP.NET Core's form readers when a form breaks FormOptions' limits.
            InvalidDataException { Source: "Microsoft.AspNetCore.WebUtilities" or "Microsoft.AspNetCore.Http" } => StatusCodes.Status400BadRequest,
            NotSupportedException when !FormCharset.IsReadable(httpContext.Request.ContentType) => StatusCodes.Status415UnsupportedMediaType,
            _ => null,
        };
        if (refusedWith is not { } status)
        {
            return false;
        }
        logger.LogInformation("Refused a request body with {Status}: {Reason}", status, exception.Message);
        httpContext.Response.StatusCode = status;
        var (title, detail) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => ("Request body too large", $"The limit is {HostingSetup.MaxRequestBodyBytes / 1024} KiB."),
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported charset", "Send the form in UTF-8."),
            _ => ("Malformed request body", "The request body was cut short, or its form has too many fields or too long a value."),
        };
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
        return true;
    }
}
