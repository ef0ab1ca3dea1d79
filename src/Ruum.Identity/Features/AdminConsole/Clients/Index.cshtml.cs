using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Clients;

namespace Ruum.Identity.Features.AdminConsole.Clients;

/// <summary>/admin/clients: every client, a page at a time (platform admins, as <c>GET /api/admin/clients</c>).</summary>
[PlatformAdminOnly]
public sealed class ClientsModel(AdminClients clients) : ConsolePage
{
    public IReadOnlyList<ClientView> Clients { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (PageOf() is not { } page)
        {
            return Page();
        }
        var found = await clients.ListAsync(page, Aborted);
        (Clients, NextCursor) = (found.Items, found.NextCursor);
        return Page();
    }
}
