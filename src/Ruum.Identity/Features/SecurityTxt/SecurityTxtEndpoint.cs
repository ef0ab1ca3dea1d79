using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Tokens;

namespace Ruum.Identity.Features.SecurityTxt;

/// <summary>RFC 9116: <c>/.well-known/security.txt</c>, plain text, Expires always in the future.</summary>
public static class SecurityTxtEndpoint
{
    public const string Path = "/.well-known/security.txt";

    public static WebApplicationBuilder AddRuumSecurityTxt(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityTxtOptions>().Bind(builder.Configuration.GetSection(SecurityTxtOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static WebApplication MapSecurityTxt(this WebApplication app)
    {
        app.MapGet(Path, (HttpContext context, IOptions<SecurityTxtOptions> options, IOptions<TokenOptions> tokens, TimeProvider clock) =>
            TypedResults.Text(Render(options.Value, CanonicalUrl(context, options.Value, tokens.Value), clock.GetUtcNow()),
                "text/plain; charset=utf-8", Encoding.UTF8));
        return app;
    }

    internal static string Render(SecurityTxtOptions options, Uri canonical, DateTimeOffset now)
    {
        // Whole days, so every instance serves the same file all day.
        var expires = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + options.ExpiresAfter;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Contact: {options.Contact}\n")
            .Append(CultureInfo.InvariantCulture, $"Expires: {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\n")
            .Append(CultureInfo.InvariantCulture, $"Preferred-Languages: {options.PreferredLanguages}\n")
            .Append(CultureInfo.InvariantCulture, $"Canonical: {canonical}\n");
        if (options.Policy is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Policy: {options.Policy}\n");
        }
        return text.ToString();
    }

    private static Uri CanonicalUrl(HttpContext context, SecurityTxtOptions options, TokenOptions tokens) =>
        options.Canonical
        ?? new Uri(tokens.Issuer ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/"),
            Path.TrimStart('/'));
}
