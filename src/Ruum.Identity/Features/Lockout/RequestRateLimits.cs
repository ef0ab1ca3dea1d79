using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Lockout;

/// <summary>
/// Password and code posts per client IP (fixed windows, in memory: a per-instance cap in front of the
/// per-account counters in the database). Over the limit: 429 with <c>Retry-After</c> (RFC 6585 §4).
/// </summary>
internal static class RequestRateLimits
{
    public const string LoginPath = "/account/login";
    public const string CodePath = "/account/otp";
    public const string PasswordChangePath = "/account/password";

    public static IServiceCollection AddRuumRequestRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LockoutOptions>>((limiter, lockout) =>
        {
            var settings = lockout.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limit = LimitFor(context.Request, settings);
                if (limit is null)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                var (name, permits) = limit.Value;
                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(name + ":" + ip, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = settings.RateLimitWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.RateLimitWindow;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.RequestServices.GetRequiredService<RefusalTally>().Count(AuditEventTypes.RateLimited, context.HttpContext);
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                // A body of its own: the status-code page would re-execute the rejected POST.
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync($"Too many attempts from your network. Try again in {seconds} seconds.", cancellationToken);
            };
        });
        return services;
    }

    private static (string Name, int Permits)? LimitFor(HttpRequest request, LockoutOptions settings)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }
        // Changing the password checks the current one: the same per-IP budget as signing in.
        if (request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(PasswordChangePath, StringComparison.OrdinalIgnoreCase))
        {
            return ("login", settings.LoginRequestsPerWindow);
        }
        if (request.Path.StartsWithSegments(CodePath, StringComparison.OrdinalIgnoreCase))
        {
            return ("code", settings.CodeRequestsPerWindow);
        }
        return null;
    }
}
