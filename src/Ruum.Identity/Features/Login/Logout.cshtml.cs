using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Tokens;

namespace Ruum.Identity.Features.Login;

/// <summary>
/// Sign-out: a POST with anti-forgery so no other site can sign the user out. It is also the confirmation an
/// end-session request without the user's own id_token_hint gets; after it, the browser goes back to that request.
/// </summary>
public sealed class LogoutModel : PageModel
{
    public const string Path = "/account/logout";

    /// <summary>The end-session request to finish after signing out (never another address).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool AskedByAnApplication => EndSessionRequest() is not null;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(SessionSetup.Scheme);
        return EndSessionRequest() is { } endSession ? LocalRedirect(endSession) : RedirectToPage("LoggedOut");
    }

    private string? EndSessionRequest()
    {
        var endpoint = Request.PathBase + EndSessionEndpoint.Path;
        return ReturnUrl is { } url && (url == endpoint || url.StartsWith(endpoint + "?", StringComparison.Ordinal)) ? url : null;
    }
}
