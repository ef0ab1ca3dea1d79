using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Onboarding;

/// <summary>
/// Where the second-factor step of an accepted invitation returns to. That sign-in made the invitation's memberships
/// active (Invitations.CompleteAsync); this page names them. A sign-in without a second factor (a remembered device)
/// activated nothing and is asked for one.
/// </summary>
[Authorize]
public sealed class CompleteInvitationModel(Invitations invitations) : PageModel
{
    public const string Path = "/account/invitation/complete";

    public IReadOnlyList<string> Companies { get; private set; } = [];

    public bool SecondFactorMissing { get; private set; }

    public async Task OnGetAsync()
    {
        if (SignInFacts.ReadFrom(User) is not { HasSecondFactor: true } facts)
        {
            SecondFactorMissing = true;
            return;
        }
        Companies = await invitations.CompanyNamesCompletedSinceAsync(User.UserId(), facts.AuthTime, HttpContext.RequestAborted);
    }
}
