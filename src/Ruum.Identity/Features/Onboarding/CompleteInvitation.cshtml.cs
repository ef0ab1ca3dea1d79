using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Onboarding;

/// <summary>
/// Where the second-factor step of an accepted invitation returns to: signed in with a second factor, the memberships
/// the invitation named become active now and not before. A sign-in without one (a remembered device) activates nothing.
/// </summary>
[Authorize]
public sealed class CompleteInvitationModel(Invitations invitations, RuumDbContext db, AuditLog audit) : PageModel
{
    public const string Path = "/account/invitation/complete";

    public IReadOnlyList<string> Companies { get; private set; } = [];

    public bool SecondFactorMissing { get; private set; }

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (SignInFacts.ReadFrom(User) is not { HasSecondFactor: true })
        {
            SecondFactorMissing = true;
            return;
        }
        var userId = User.UserId();
        var completed = await invitations.CompleteAsync(userId, cancellationToken);
        foreach (var invitation in completed)
        {
            await audit.RecordAsync(AuditEventTypes.InvitationCompleted, AuditOutcomes.Success, userId,
                new { invitation_id = invitation.Id, company_id = invitation.CompanyId, role = invitation.CompanyRole,
                    project_id = invitation.ProjectId, project_role = invitation.ProjectRole }, cancellationToken: cancellationToken);
        }
        var ids = completed.Where(i => i.CompanyId is not null).Select(i => i.CompanyId!.Value).ToList();
        Companies = await db.Set<Company>().AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Name).Select(c => c.Name)
            .ToListAsync(cancellationToken);
    }
}
