using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin.Tenancy;

namespace Ruum.Identity.Features.AdminConsole.Companies;

/// <summary>
/// /admin/companies/{id}/policy: a company's security policy through <see cref="AdminSecurityPolicy"/> (another
/// company's is a 404). The form carries the version it was shown with, the API's If-Match: a stale form writes nothing.
/// </summary>
public sealed class PolicyModel(AdminSecurityPolicy policies, AdminTenancy tenancy) : ConsoleFormPage
{
    [BindProperty]
    public string? SecondFactors { get; set; }

    [BindProperty]
    public bool? TrustedDevices { get; set; }

    /// <summary>As typed: empty is the server's own limit; anything but a whole number is said so next to the field.</summary>
    [BindProperty]
    public string? MaxSessionMinutes { get; set; }

    [BindProperty]
    public string? Version { get; set; }

    public CompanyView Company { get; private set; } = null!;

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id, showCurrent: true) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        int? minutes = null;
        if (!string.IsNullOrWhiteSpace(MaxSessionMinutes))
        {
            if (!int.TryParse(MaxSessionMinutes.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                FieldError("maxSessionMinutes", $"From {AdminSecurityPolicy.MinSessionMinutes} to {AdminSecurityPolicy.MaxSessionMinutes} minutes, or empty for the server's limit.");
                return await LoadAsync(id, showCurrent: false) ?? Page();
            }
            minutes = parsed;
        }
        ModelState.Clear();
        var replaced = await policies.ReplaceAsync(Caller, id,
            new SecurityPolicyInput { SecondFactors = SecondFactors, TrustedDevices = TrustedDevices, MaxSessionMinutes = minutes }, Is(Version), Aborted);
        if (RefusedByField(replaced.Error) is { } refusal)
        {
            return refusal;
        }
        var status = Response.StatusCode;
        Saved = replaced.Error is null;
        // Saved or stale, the form shows the policy as it is now (and its version); with field errors, what was typed.
        if (await LoadAsync(id, showCurrent: Saved || Stale) is { } missing)
        {
            return missing;
        }
        Response.StatusCode = status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, bool showCurrent)
    {
        var policy = await policies.GetAsync(Caller, id, Aborted);
        if (Refused(policy.Error) is { } refusal)
        {
            return refusal;
        }
        Company = (await tenancy.GetCompanyAsync(Caller, id, Aborted)).Value!;
        var current = policy.Value!;
        if (showCurrent)
        {
            SecondFactors = current.SecondFactors;
            TrustedDevices = current.TrustedDevices;
            MaxSessionMinutes = current.MaxSessionMinutes?.ToString(CultureInfo.InvariantCulture);
            Version = current.Version;
        }
        return null;
    }
}
