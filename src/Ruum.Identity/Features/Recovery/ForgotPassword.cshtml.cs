using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Recovery;

/// <summary>Asks for a reset link. The answer never says whether the address has an account (ASVS 5.0 V6.3.8).</summary>
public sealed class ForgotPasswordModel(PasswordResets resets, IOptions<PasswordResetOptions> options) : PageModel
{
    [BindProperty]
    public ForgotPasswordInput Input { get; set; } = new();

    public bool Requested { get; private set; }

    public int LinkMinutes => (int)options.Value.LinkLifetime.TotalMinutes;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await resets.RequestAsync(HttpContext, Input.Email, HttpContext.RequestAborted);
        Requested = true;
        return Page();
    }
}

public sealed class ForgotPasswordInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(EmailAddress.MaxLength, ErrorMessage = "That email address is too long.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";
}
