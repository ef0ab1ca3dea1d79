using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ruum.Identity.Features.ErrorPage;

/// <summary>
/// The page a browser sees when a sign-in request cannot be honoured (bad redirect_uri, missing PKCE...):
/// OpenIddict refuses to redirect to an unverified address, so the person needs a clear explanation here.
/// </summary>
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string? Error { get; private set; }

    public string? Description { get; private set; }

    public void OnGet(int status) => Describe(status);

    public void OnPost(int status) => Describe(status);

    private void Describe(int status)
    {
        Status = status;
        var response = HttpContext.GetOpenIddictServerResponse();
        Error = response?.Error;
        Description = response?.ErrorDescription;
    }
}
