using System.Globalization;
using System.Text.Json;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// The answer to a client over its failed-authentication budget. RFC 6749 defines no rate-limit error for the token
/// endpoint: 429 with <c>Retry-After</c> (RFC 6585 §4) carries the meaning, and the body is a standard OAuth error
/// (<c>temporarily_unavailable</c>, RFC 6749 §4.1.2.1) so clients that only read JSON errors see a retryable one,
/// not <c>invalid_client</c> (which would say the credentials are wrong: they were not judged).
/// </summary>
internal static class TooManyClientFailures
{
    public static async Task WriteAsync(HttpResponse response, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.ContentType = "application/json;charset=UTF-8";
        await JsonSerializer.SerializeAsync(response.Body, new Dictionary<string, string>
        {
            [Parameters.Error] = Errors.TemporarilyUnavailable,
            [Parameters.ErrorDescription] = "Too many failed client authentications. Try again later.",
        }, cancellationToken: cancellationToken);
    }
}
