using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Login;
using SessionOptions = Ruum.Identity.Features.Login.SessionOptions;

namespace Ruum.Identity.Features.Language;

/// <summary>
/// The language switch: a link per language to <c>/language/{culture}?returnUrl=</c>, which remembers the choice for
/// a year and goes back to the page. A GET is enough: the only effect is which language pages speak, and the return
/// URL must be local (never "//host"), so it cannot redirect elsewhere.
/// </summary>
internal static class LanguageCookie
{
    public static string Name(SessionOptions session) => session.CookieName("ruum.language");

    public static IResult Switch(string culture, string? returnUrl, HttpContext context, IOptions<SessionOptions> session)
    {
        if (Array.Find(LanguageSetup.Cultures, c => c.Name == culture) is not { } chosen)
        {
            return TypedResults.NotFound();
        }
        context.Response.Cookies.Append(Name(session.Value),
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions
            {
                HttpOnly = true,
                Secure = session.Value.SecureCookies,
                SameSite = SameSiteMode.Lax,
                Path = "/",
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(365),
            });
        return TypedResults.LocalRedirect(LoginModel.SafeReturnUrl(returnUrl));
    }
}
