using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Login;

/// <summary>The password step. A right password alone issues nothing: the second step decides (trusted device or code).</summary>
public sealed class LoginModel(PasswordSignIn passwords, PasswordGuard guard, SecondFactorSignIn secondFactor,
    IStringLocalizer<FormMessages> text) : PageModel
{
    public const string FailureMessage = "Email or password is incorrect.";

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Failure { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var cancellationToken = HttpContext.RequestAborted;
        var attempt = await passwords.VerifyAsync(Input.Email, Input.Password, cancellationToken);
        var user = await guard.JudgeAsync(HttpContext, attempt, Input.Email, SecondFactorSignIn.ClientIdOf(ReturnUrl), cancellationToken);
        if (user is null)
        {
            Failure = text[FailureMessage];
            return Page();
        }
        return LocalRedirect(await secondFactor.AfterPasswordAsync(HttpContext, user, SafeReturnUrl(ReturnUrl), cancellationToken));
    }

    /// <summary>Only local paths: never "//host" or "/\host", which browsers treat as another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            ? url
            : "/";
}

public sealed class LoginInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(EmailAddress.MaxLength, ErrorMessage = "That email address is too long.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(PasswordHasher.MaxPasswordBytes, ErrorMessage = "That password is too long.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
}
