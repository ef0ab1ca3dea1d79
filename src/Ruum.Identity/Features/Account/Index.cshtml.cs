using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Account;

/// <summary>/account: the signed-in user's home, a summary of every security setting with the way to each page.</summary>
[Authorize]
public sealed class AccountModel(
    RuumDbContext db,
    Authenticators authenticators,
    RecoveryCodes recoveryCodes,
    TrustedDeviceStore devices,
    BrowserSessions sessions,
    AuthorizedApps apps) : PageModel
{
    public const int RecentEvents = 5;

    public string DisplayName { get; private set; } = "";
    public string Email { get; private set; } = "";
    public bool EmailVerified { get; private set; }
    public bool HasAuthenticator { get; private set; }
    public int UnusedRecoveryCodes { get; private set; }
    public int TrustedDevices { get; private set; }
    public int Sessions { get; private set; }
    public int Apps { get; private set; }
    public IReadOnlyList<AuditEvent> Recent { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var userId = User.UserId();
        var user = await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        (DisplayName, Email, EmailVerified) = (user.DisplayName, user.Email, user.EmailVerified);
        HasAuthenticator = await authenticators.IsEnabledAsync(userId, cancellationToken);
        UnusedRecoveryCodes = HasAuthenticator ? await recoveryCodes.CountUnusedAsync(userId, cancellationToken) : 0;
        TrustedDevices = (await devices.ListActiveAsync(userId, cancellationToken)).Count;
        Sessions = (await sessions.ListLiveAsync(userId, cancellationToken)).Count;
        Apps = (await apps.ListAsync(userId, cancellationToken)).Count;
        Recent = await db.Set<AuditEvent>().AsNoTracking().Where(e => e.UserId == userId)
            .OrderByDescending(e => e.Id).Take(RecentEvents).ToListAsync(cancellationToken);
    }
}
