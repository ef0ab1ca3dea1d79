using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Users;

namespace Ruum.Identity.Features.AdminConsole.Users;

/// <summary>
/// /admin/users/{id}/{verb}: the confirmation page says what the action ends; the post needs its confirmation field.
/// The rules (platform admins only, the last platform admin) are <see cref="AdminUsers"/>' and <see cref="UserPrivacy"/>'.
/// </summary>
public sealed class UserActionModel(AdminUsers users, UserPrivacy privacy) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string Verb { get; set; } = "";

    [BindProperty(Name = ConfirmationField)]
    public bool Confirmed { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    public UserView Person { get; private set; } = null!;

    public bool Done { get; private set; }

    public string Title => Verb switch
    {
        "disable" => "Disable",
        "enable" => "Enable",
        "unlock" => "Unlock",
        "reset-second-factor" => "Reset the second factor",
        "end-sessions" => "End every session",
        "remove-devices" => "Remove every trusted device",
        _ => "Erase",
    };

    public string Consequences => Verb switch
    {
        "disable" => "The person can no longer sign in. Everything they hold ends now: browser sessions, trusted devices, refresh tokens, authorizations and access tokens.",
        "enable" => "The person may sign in again. Sessions and tokens ended when they were disabled stay ended.",
        "unlock" => "The lock after failed attempts ends: they may try their password and second factor again.",
        "reset-second-factor" => "Their authenticator app and recovery codes are removed, and their sessions and trusted devices end: the next sign-in asks for an emailed code, and they set up an authenticator again.",
        "end-sessions" => "Every browser session of this person ends: they sign in again on each browser.",
        "remove-devices" => "Every trusted device is forgotten: the next sign-in on each asks for the second factor again.",
        _ => "The person's account is erased with everything stored about them: sessions, devices, tokens, memberships. The audit log keeps only their id. This cannot be undone.",
    };

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }
        if (!Confirmed)
        {
            Problems.Add(Text["Nothing was changed: tick the box to confirm."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var current = Is(Version);
        var error = Verb switch
        {
            "disable" => (await users.SetEnabledAsync(Caller, id, false, current, Aborted)).Error,
            "enable" => (await users.SetEnabledAsync(Caller, id, true, current, Aborted)).Error,
            "unlock" => (await users.UnlockAsync(Caller, id, current, Aborted)).Error,
            "reset-second-factor" => (await users.ResetSecondFactorAsync(Caller, id, current, Aborted)).Error,
            "end-sessions" => (await users.EndSessionsAsync(Caller, id, current, Aborted)).Error,
            "remove-devices" => (await users.RemoveDevicesAsync(Caller, id, null, current, Aborted)).Error,
            _ => await privacy.EraseAsync(Caller, id, current, Aborted),
        };
        if (Refused(error) is { } refusal)
        {
            return refusal;
        }
        if (error is not null)
        {
            return await LoadAsync(id) ?? Page();
        }
        if (Verb == "erase")
        {
            Done = true;
            Notice = Text["The person was erased."];
            return Page();
        }
        return Redirect($"/admin/users/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var found = await users.GetAsync(Caller, id, Aborted);
        if (Refused(found.Error) is { } refusal)
        {
            return refusal;
        }
        Person = found.Value!;
        return null;
    }
}
