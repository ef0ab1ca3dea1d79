using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Tenancy;
using Ruum.Identity.Features.Admin.Users;

namespace Ruum.Identity.Features.AdminConsole.Users;

/// <summary>
/// /admin/users/invitations: the invitations the caller may see (<see cref="AdminInvitations.ListAsync"/>: a company
/// admin their companies' only), paged on the server, optionally of one company (another company's id is a 404); resend.
/// </summary>
public sealed class InvitationsModel(AdminInvitations invitations, AdminTenancy tenancy) : ConsolePage
{
    [BindProperty(SupportsGet = true, Name = "company")]
    public Guid? CompanyId { get; set; }

    public CompanyView? Company { get; private set; }

    public IReadOnlyList<InvitationView> Invitations { get; private set; } = [];

    public string? NextCursor { get; private set; }

    /// <summary>The invitation whose link was just mailed again.</summary>
    public InvitationView? Resent { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    /// <summary>A new link replaces the old one, which stops working (<see cref="AdminInvitations.ResendAsync"/>).</summary>
    public async Task<IActionResult> OnPostResendAsync(Guid invitationId)
    {
        var resent = await invitations.ResendAsync(Caller, invitationId, InvitationsEndpoints.LinkBase(HttpContext), Aborted);
        if (Refused(resent.Error) is { } refusal)
        {
            return refusal;
        }
        var status = Response.StatusCode;
        Resent = resent.Value;
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }
        Response.StatusCode = status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (CompanyId is { } companyId)
        {
            var company = await tenancy.GetCompanyAsync(Caller, companyId, Aborted);
            if (Refused(company.Error) is { } refusal)
            {
                return refusal;
            }
            Company = company.Value;
        }
        if (PageOf() is { } page)
        {
            var found = await invitations.ListAsync(Caller, CompanyId, page, Aborted);
            (Invitations, NextCursor) = (found.Items, found.NextCursor);
        }
        return null;
    }
}
