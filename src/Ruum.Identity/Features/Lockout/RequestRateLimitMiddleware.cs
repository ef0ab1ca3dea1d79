using System.Globalization;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Lockout;

/// <summary>Counts each POST to an endpoint carrying <see cref="RateLimitedPosts"/>; over the budget answers 429.</summary>
internal sealed class RequestRateLimitMiddleware(RequestDelegate next, IOptions<LockoutOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<RateLimitedPosts>() is not { } limited)
        {
            await next(context);
            return;
        }
        var settings = options.Value;
        var (name, permits) = limited.Budget switch
        {
            RateLimitBudget.Login => ("login", settings.LoginRequestsPerWindow),
            _ => ("code", settings.CodeRequestsPerWindow),
        };
        var counters = context.RequestServices.GetRequiredService<RateLimitCounters>();
        var key = name + ":" + ClientNetwork.Of(context.Connection.RemoteIpAddress);
        var count = await counters.IncrementAsync(key, settings.RateLimitWindow, context.RequestAborted);
        if (count.Count <= permits)
        {
            await next(context);
            return;
        }

        context.RequestServices.GetRequiredService<RefusalTally>().Count(AuditEventTypes.RateLimited, context);
        var seconds = Math.Max(1, (int)Math.Ceiling(count.RetryAfter.TotalSeconds));
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        // A body of its own: the status-code page would re-execute the rejected POST.
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync($"Too many attempts from your network. Try again in {seconds} seconds.", context.RequestAborted);
    }
}
