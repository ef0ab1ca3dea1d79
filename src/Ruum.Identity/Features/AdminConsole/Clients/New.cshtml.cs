using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Clients;

namespace Ruum.Identity.Features.AdminConsole.Clients;

/// <summary>/admin/clients/new: <see cref="AdminClients.CreateAsync"/>; a confidential client's secret is shown this once.</summary>
[PlatformAdminOnly]
public sealed class NewClientModel(AdminClients clients) : ConsolePage
{
    [BindProperty]
    public ClientForm Input { get; set; } = new();

    public ClientView? Created { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await clients.CreateAsync(Caller, Input.ToInput(), Aborted);
        if (Refused(created.Error) is { } refusal)
        {
            return refusal;
        }
        Created = created.Value;
        // The secret is in this answer only: never cached by a browser or a proxy.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
