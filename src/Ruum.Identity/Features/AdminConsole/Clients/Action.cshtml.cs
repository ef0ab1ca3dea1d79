using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Clients;

namespace Ruum.Identity.Features.AdminConsole.Clients;

/// <summary>
/// /admin/clients/{clientId}/{action}: a confirmation page that says what the action ends; its form posts the
/// confirmation field, without which the post changes nothing.
/// </summary>
[PlatformAdminOnly]
public sealed class ClientActionModel(AdminClients clients) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string Verb { get; set; } = "";

    [BindProperty(Name = ConfirmationField)]
    public bool Confirmed { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    public ClientView Client { get; private set; } = null!;

    public string? Secret { get; private set; }

    public bool Done { get; private set; }

    public string Title => Verb switch
    {
        "rotate-secret" => "Rotate the secret of",
        "disable" => "Disable",
        "enable" => "Enable",
        _ => "Delete",
    };

    public string Consequences => Verb switch
    {
        "rotate-secret" => "A new secret replaces the current one at once: the application stops working until it is given the new secret.",
        "disable" => "The client can no longer get tokens, and everything it holds ends now: its refresh tokens, its authorizations and its access tokens.",
        "enable" => "The client may get tokens again with its permissions as they were. Tokens it held before it was disabled stay ended.",
        _ => "The client is deleted with its tokens and authorizations; every access token it holds stops working. This cannot be undone.",
    };

    public async Task<IActionResult> OnGetAsync(string clientId) => await LoadAsync(clientId) ?? Page();

    public async Task<IActionResult> OnPostAsync(string clientId)
    {
        if (await LoadAsync(clientId) is { } missing)
        {
            return missing;
        }
        if (!Confirmed)
        {
            Problems.Add(Text["Nothing was changed: tick the box to confirm."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        AdminError? error;
        switch (Verb)
        {
            case "rotate-secret":
                var rotated = await clients.RotateSecretAsync(Caller, clientId, Is(Version), Aborted);
                (error, Secret) = (rotated.Error, rotated.Value?.ClientSecret);
                Response.Headers.CacheControl = "no-store";
                break;
            case "disable" or "enable":
                error = (await clients.SetEnabledAsync(Caller, clientId, Verb == "enable", Is(Version), Aborted)).Error;
                break;
            default:
                error = await clients.DeleteAsync(Caller, clientId, Is(Version), Aborted);
                break;
        }
        if (Refused(error) is { } refusal)
        {
            return refusal;
        }
        if (error is not null)
        {
            return await LoadAsync(clientId) ?? Page();
        }
        if (Verb == "delete")
        {
            Done = true;
            Notice = Text["The client {0} was deleted.", clientId];
            return Page();
        }
        return Secret is null ? Redirect("/admin/clients/" + Uri.EscapeDataString(clientId)) : Page();
    }

    private async Task<IActionResult?> LoadAsync(string clientId)
    {
        var found = await clients.GetAsync(clientId, Aborted);
        if (Refused(found.Error) is { } refusal)
        {
            return refusal;
        }
        Client = found.Value!;
        return null;
    }
}
