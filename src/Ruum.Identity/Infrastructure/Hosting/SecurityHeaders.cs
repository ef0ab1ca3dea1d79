using System.Security.Cryptography;
using System.Text;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// Headers on every response, pages and JSON alike (OWASP ASVS V3.4). Set when the response starts, so error
/// pages written after the exception handler cleared the response get them too. No Cross-Origin-Opener-Policy:
/// it would cut a client's sign-in popup off from its opener. frame-ancestors 'none' rules out sign-in in an
/// iframe, so clients renew tokens with refresh tokens, not hidden-iframe prompt=none.
/// </summary>
internal static class SecurityHeaders
{
    // OpenIddict's response_mode=form_post page submits itself with exactly this inline script; allowing its
    // hash (CSP Level 3 §6.7.2.1) keeps 'unsafe-inline' out. No form-action: after the login POST the browser
    // follows redirects to client redirect URIs, which form-action would block in Chromium.
    private const string FormPostScript = "document.form.submit();";

    public static readonly string ContentSecurityPolicy =
        "default-src 'self'; " +
        $"script-src 'self' 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(FormPostScript)))}'; " +
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    // The Development-only admin API reference (Scalar) puts a fresh nonce on its few script tags; only that response
    // allows it (CSP Level 3 §6.7.2.2). Its assets are served by the app itself ('self'), no CDN. Its Vue bundle also
    // injects styles at run time, which no nonce or hash can cover: inline styles (never scripts) on that page only.
    private static string WithScriptNonce(string nonce) =>
        ContentSecurityPolicy
            .Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal)
            .Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal);

    public static WebApplication UseRuumSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                headers.ContentSecurityPolicy = context.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string nonce
                    ? WithScriptNonce(nonce)
                    : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers.Remove("Server");
                headers.Remove("X-Powered-By");
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
