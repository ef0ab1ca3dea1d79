using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Onboarding;

/// <summary>
/// Where an invitation link lands: a name and a password (the new-password rules), then the sign-in's own
/// second-factor step (which applies the company's policy), then <see cref="CompleteInvitationModel"/> activates the
/// memberships. Opening the page changes nothing (mail scanners open links too); the token is never logged, and the
/// server-wide <c>Referrer-Policy: no-referrer</c> keeps it out of referrers.
/// </summary>
public sealed class AcceptInvitationModel(
    Invitations invitations,
    NewPasswordRules rules,
    PasswordHasher hasher,
    PasswordVerificationGate gate,
    CredentialChanges credentialChanges,
    SecondFactorSignIn secondFactor,
    RuumDbContext db,
    AuditLog audit) : PageModel
{
    public const string Path = "/account/invitation";
    public const string UnknownLink = "This invitation link is not valid. Check that you opened the whole link.";
    public const string UsedLink = "This invitation was already used. Sign in with the password you chose.";
    public const string ExpiredLink = "This invitation has expired. Ask the person who invited you for a new one.";
    public const string RevokedLink = "This invitation was withdrawn.";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public AcceptInvitationInput Input { get; set; } = new();

    public InvitationState State { get; private set; }

    public string Email { get; private set; } = "";

    public int MinimumLength => rules.MinimumLength;

    public static string LinkMessage(InvitationState state) => state switch
    {
        InvitationState.Used => UsedLink,
        InvitationState.Expired => ExpiredLink,
        InvitationState.Revoked => RevokedLink,
        _ => UnknownLink,
    };

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } current)
        {
            Input.DisplayName = current.User.DisplayName;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (await LoadAsync() is not { } current)
        {
            return Page();
        }
        var (invitation, user) = current;
        var name = Input.DisplayName?.Trim() ?? "";
        if (name.Length is 0 or > 200 || name.Any(char.IsControl))
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.DisplayName)}", "Enter your name (at most 200 characters).");
        }
        else if (rules.FindProblem(Input.NewPassword, user.Email, name) is { } problem)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.NewPassword)}", problem);
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!await invitations.SpendAsync(invitation, cancellationToken))
        {
            State = InvitationState.Used;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var tracked = await db.Set<User>().FindAsync([user.Id], cancellationToken) ?? throw new InvalidOperationException("The user is gone.");
        tracked.DisplayName = name;
        tracked.PasswordHash = await gate.RunAsync(() => hasher.Hash(Input.NewPassword!), cancellationToken);
        // The mail that carried the link reached its owner.
        tracked.EmailVerified = true;
        // Saved with a new security stamp: whatever the account had before (a bootstrap admin's) ends.
        await credentialChanges.ApplyAsync(user.Id, "invitation_accepted", cancellationToken);
        await audit.RecordAsync(AuditEventTypes.InvitationAccepted, AuditOutcomes.Success, user.Id, new { invitation_id = invitation.Id },
            cancellationToken: cancellationToken);
        // The sign-in's own second step: the code (or the enrolment the company's policy asks for), then the completion page.
        return LocalRedirect(await secondFactor.AfterPasswordAsync(HttpContext, tracked, CompleteInvitationModel.Path, cancellationToken));
    }

    /// <summary>The invitation and its person when the link may be used; otherwise sets <see cref="State"/> and a 400.</summary>
    private async Task<(Invitation Invitation, User User)?> LoadAsync()
    {
        var (state, invitation, user) = await invitations.FindAsync(Token, HttpContext.RequestAborted);
        State = state;
        if (state != InvitationState.Valid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }
        Email = user!.Email;
        return (invitation!, user);
    }
}

public sealed class AcceptInvitationInput
{
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? DisplayName { get; set; }

    /// <summary>Judged by <see cref="NewPasswordRules"/> alone (empty and only-spaces included): spaces are kept as typed.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    [DataType(DataType.Password)]
    public string? NewPassword { get; set; }

    [Required(ErrorMessage = "Enter the new password again.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords do not match.")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}
