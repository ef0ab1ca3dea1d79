using System.Globalization;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ruum.Identity.Features.ErrorPage;

/// <summary>
/// The page a browser sees when a sign-in request cannot be honoured (bad redirect_uri, missing PKCE...):
/// OpenIddict refuses to redirect to an unverified address, so the person needs a clear explanation here.
/// </summary>
// OnPost only renders the error of a POST that status code pages re-execute here. It reads no input (no anti-forgery
// token, no model binding, which would read the form): the body that caused the error (a UTF-7 form) would fail again.
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string? Error { get; private set; }

    public string? Description { get; private set; }

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    private void Describe()
    {
        Status = Convert.ToInt32(RouteData.Values["status"], CultureInfo.InvariantCulture);
        var response = HttpContext.GetOpenIddictServerResponse();
        Error = response?.Error;
        Description = response?.ErrorDescription;
    }
}
