using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Login;
using SessionOptions = Ruum.Identity.Features.Login.SessionOptions;
using Ruum.Identity.Features.Shared;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Language;

/// <summary>
/// Pages, form messages and emails in Spanish (the default: Ruum is a Spanish product) or English. The language
/// switch's cookie wins, then the browser's Accept-Language; anything else is Spanish. Programs (OAuth and OIDC
/// endpoints, the admin API, health) are never localized: their errors are read by code, in English.
/// </summary>
public static class LanguageSetup
{
    public const string Spanish = "es";
    public const string English = "en";

    internal static readonly CultureInfo[] Cultures = [new(Spanish), new(English)];

    public static WebApplicationBuilder AddRuumLanguage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Resources sit next to their view or class: Features/Login/Login.cshtml -> Features/Login/Login.es.resx.
        services.AddLocalization();
        services.AddRazorPages()
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(FormMessages)));
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<SessionOptions>>((localization, session) =>
        {
            localization.DefaultRequestCulture = new RequestCulture(Spanish);
            localization.SupportedCultures = Cultures;
            localization.SupportedUICultures = Cultures;
            // The switch's cookie, then Accept-Language (en-GB counts as en); no query-string provider.
            localization.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = LanguageCookie.Name(session.Value) },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>After the status-code pages, so the re-executed error page is localized too.</summary>
    public static WebApplication UseRuumLanguage(this WebApplication app)
    {
        app.UseWhen(context => !IsProgramRequest(context), people => people.UseRequestLocalization());
        return app;
    }

    public static WebApplication MapRuumLanguage(this WebApplication app)
    {
        app.MapGet("/language/{culture}", LanguageCookie.Switch).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Protocol endpoints other than the two a browser visits, discovery and health. The admin API is not one: its
    /// answers are English, but the mails it causes (invitations) go out in the caller's language, Spanish by default.
    /// </summary>
    internal static bool IsProgramRequest(HttpContext context)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments("/connect") && !HostingSetup.IsBrowserRequest(context)
            || path.StartsWithSegments("/.well-known")
            || path.StartsWithSegments(HealthSetup.PathPrefix);
    }
}
