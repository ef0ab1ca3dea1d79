using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Password;

/// <summary>
/// Change the password: the current one is judged like a sign-in password (one bcrypt in the gate, counted
/// toward the lockout); success is a credential change, so other sessions, refresh tokens and trusted devices end.
/// </summary>
[Authorize]
[RequireRecentSecondFactor]
public sealed class ChangePasswordModel(
    RuumDbContext db,
    PasswordSignIn passwords,
    PasswordGuard guard,
    PasswordHasher hasher,
    PasswordVerificationGate gate,
    CredentialChanges credentialChanges,
    AuditLog audit,
    NewPasswordRules rules,
    IStringLocalizer<FormMessages> text) : PageModel
{
    public const string WrongCurrentPassword = "Your current password is not right.";
    public const string SameAsCurrent = "The new password must be different from your current one.";
    public const string TooLong = NewPasswordRules.TooLong;
    public const string Changed = "Your password was changed. Other browsers and apps were signed out, and trusted devices were removed.";

    [BindProperty]
    public ChangePasswordInput Input { get; set; } = new();

    public int MinimumLength => rules.MinimumLength;

    public string? Notice { get; private set; }

    public static string TooShort(int minimum) => NewPasswordRules.TooShort(minimum);

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var userId = User.UserId();
        var account = await db.Set<User>().Where(u => u.Id == userId).Select(u => new { u.Email, u.DisplayName }).SingleAsync(cancellationToken);
        var email = account.Email;
        // Checks that need no bcrypt come first: a bad new password costs no verification and counts no failure.
        CheckNewPassword(email, account.DisplayName);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var attempt = await passwords.VerifyAsync(email, Input.CurrentPassword, cancellationToken);
        if (await guard.JudgeAsync(HttpContext, attempt, email, null, cancellationToken) is not { } user)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.CurrentPassword)}", text[WrongCurrentPassword]);
            return Page();
        }
        user.PasswordHash = await gate.RunAsync(() => hasher.Hash(Input.NewPassword!), cancellationToken);
        // The user is tracked by this request's context: the new hash is saved together with the new stamp.
        await credentialChanges.ApplyAndKeepSessionAsync(HttpContext, User, "password_changed", CredentialNotice.PasswordChanged, cancellationToken);
        await audit.RecordAsync(AuditEventTypes.PasswordChanged, AuditOutcomes.Success, userId, cancellationToken: cancellationToken);
        Notice = text[Changed];
        return Page();
    }

    private void CheckNewPassword(string email, string name)
    {
        const string field = $"{nameof(Input)}.{nameof(Input.NewPassword)}";
        if (rules.FindProblem(Input.NewPassword, email, name) is { } problem)
        {
            ModelState.AddModelError(field, text.NewPasswordProblem(problem, rules.MinimumLength));
        }
        else if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Input.NewPassword!.Normalize(NormalizationForm.FormKC)),
                     Encoding.UTF8.GetBytes(Input.CurrentPassword.Normalize(NormalizationForm.FormKC))))
        {
            ModelState.AddModelError(field, text[SameAsCurrent]);
        }
    }
}

public sealed class ChangePasswordInput
{
    [Required(ErrorMessage = "Enter your current password.")]
    [StringLength(PasswordHasher.MaxPasswordBytes, ErrorMessage = "That password is too long.")]
    [DataType(DataType.Password)]
    public string CurrentPassword { get; set; } = "";

    /// <summary>Judged by <see cref="NewPasswordRules"/> alone (empty and only-spaces included): spaces are kept as typed.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    [DataType(DataType.Password)]
    public string? NewPassword { get; set; }

    [Required(ErrorMessage = "Enter the new password again.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords do not match.")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}
