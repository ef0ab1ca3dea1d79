using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Clients;

namespace Ruum.Identity.Features.AdminConsole.Clients;

/// <summary>/admin/clients/{clientId}: read and edit one client (<see cref="AdminClients.UpdateAsync"/>).</summary>
[PlatformAdminOnly]
public sealed class ClientModel(AdminClients clients) : ConsolePage
{
    [BindProperty]
    public ClientForm Input { get; set; } = new();

    public ClientView Client { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string clientId)
    {
        var found = await clients.GetAsync(clientId, Aborted);
        if (Refused(found.Error) is { } refusal)
        {
            return refusal;
        }
        Client = found.Value!;
        Input = ClientForm.From(Client);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string clientId)
    {
        var updated = await clients.UpdateAsync(Caller, clientId, Input.ToInput() with { ClientId = null, Type = null }, Is(Input.Version), Aborted);
        if (Refused(updated.Error) is { } refusal)
        {
            return refusal;
        }
        if (updated.Error is not null)
        {
            var current = await clients.GetAsync(clientId, Aborted);
            if (Refused(current.Error) is { } missing)
            {
                return missing;
            }
            Client = current.Value!;
            Input.Version = Client.Version;
            return Page();
        }
        Client = updated.Value!;
        Input = ClientForm.From(Client);
        Notice = Text["Saved."];
        return Page();
    }
}
