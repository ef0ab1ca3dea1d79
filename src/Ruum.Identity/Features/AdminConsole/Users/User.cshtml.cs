using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Users;

namespace Ruum.Identity.Features.AdminConsole.Users;

/// <summary>/admin/users/{id}: one person as <see cref="AdminUsers.GetAsync"/> shows them to this caller; the GDPR export.</summary>
public sealed class UserModel(AdminUsers users, UserPrivacy privacy) : ConsolePage
{
    public UserView Person { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var found = await users.GetAsync(Caller, id, Aborted);
        if (Refused(found.Error) is { } refusal)
        {
            return refusal;
        }
        Person = found.Value!;
        return Page();
    }

    /// <summary>A POST (with anti-forgery): the export is recorded in the audit log, so no link or prefetch may cause it.</summary>
    public async Task<IActionResult> OnPostExportAsync(Guid id)
    {
        var exported = await privacy.ExportAsync(Caller, id, Aborted);
        if (Refused(exported.Error) is { } refusal)
        {
            return refusal;
        }
        if (exported.Error is not null)
        {
            return await OnGetAsync(id);
        }
        Response.Headers.CacheControl = "no-store";
        return File(JsonSerializer.SerializeToUtf8Bytes(exported.Value, AdminJson.Options), "application/json", $"user-{id}.json");
    }
}
