using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Tenancy;

namespace Ruum.Identity.Features.AdminConsole.Companies;

/// <summary>/admin/companies: the companies the caller administers (all, for the platform); platform admins create one.</summary>
public sealed class CompaniesModel(AdminTenancy tenancy) : ConsolePage
{
    public IReadOnlyList<CompanyView> Companies { get; private set; } = [];

    public string? NextCursor { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (PageOf() is { } page)
        {
            var found = await tenancy.ListCompaniesAsync(Caller, page, Aborted);
            (Companies, NextCursor) = (found.Items, found.NextCursor);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await tenancy.CreateCompanyAsync(Caller, new CompanyInput { Name = Name }, Aborted);
        if (Refused(created.Error) is { } refusal)
        {
            return refusal;
        }
        if (created.Error is not null)
        {
            var status = Response.StatusCode;
            await OnGetAsync();
            Response.StatusCode = status;
            return Page();
        }
        return Redirect($"/admin/companies/{created.Value!.Id}");
    }
}
