using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Login;

/// <summary>
/// "Confirm it's you" before a credential change: the signed-in user's password (judged and counted like a sign-in),
/// then the second step on the code page, even on a trusted device; then back to the page that asked.
/// </summary>
[Authorize]
public sealed class ReauthenticateModel(RuumDbContext db, PasswordSignIn passwords, PasswordGuard guard, SecondFactorSignIn secondFactor,
    IStringLocalizer<FormMessages> text) : PageModel
{
    public const string Path = "/account/reauthenticate";
    public const string WrongPassword = "Your password is not right.";

    [BindProperty]
    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(PasswordHasher.MaxPasswordBytes, ErrorMessage = "That password is too long.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    /// <summary>The page to go back to: a local path only.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string Email { get; private set; } = "";

    public static string PathFor(string returnUrl) => QueryHelpers.AddQueryString(Path, "returnUrl", returnUrl);

    public async Task OnGetAsync() => Email = await EmailAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Email = await EmailAsync();
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var attempt = await passwords.VerifyAsync(Email, Password, cancellationToken);
        if (await guard.JudgeAsync(HttpContext, attempt, Email, null, cancellationToken) is not { } user || user.Id != User.UserId())
        {
            ModelState.AddModelError(nameof(Password), text[WrongPassword]);
            return Page();
        }
        return LocalRedirect(await secondFactor.ReauthenticateAsync(HttpContext, user, LoginModel.SafeReturnUrl(ReturnUrl), cancellationToken));
    }

    private async Task<string> EmailAsync()
    {
        var userId = User.UserId();
        return await db.Set<User>().Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(HttpContext.RequestAborted);
    }
}
