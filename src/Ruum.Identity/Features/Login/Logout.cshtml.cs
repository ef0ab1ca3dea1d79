using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ruum.Identity.Features.Login;

/// <summary>Sign-out from our own pages; a POST with anti-forgery so no other site can sign the user out.</summary>
public sealed class LogoutModel : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(SessionSetup.Scheme);
        return RedirectToPage("LoggedOut");
    }
}
