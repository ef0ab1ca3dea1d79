using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Account;

/// <summary>
/// /account/data: the person's own GDPR export (Art. 15), the very document the admin API builds, and the way to
/// erasure. It holds where and when they signed in, so it asks for a fresh second factor like a credential change.
/// </summary>
[Authorize]
[RequireRecentSecondFactor]
public sealed class DataModel(UserPrivacy privacy, AuditLog audit, TimeProvider time) : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostExportAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var userId = User.UserId();
        var document = await privacy.ExportOwnAsync(userId, cancellationToken);
        await audit.RecordAsync(AuditEventTypes.AccountExported, AuditOutcomes.Success, userId, cancellationToken: cancellationToken);
        var name = "ruum-account-" + time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json";
        return File(JsonSerializer.SerializeToUtf8Bytes(document, AdminJson.Options), "application/json", name);
    }
}
