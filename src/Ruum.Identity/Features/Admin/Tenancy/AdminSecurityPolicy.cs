using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Tenancy;

/// <summary>
/// A company's security policy, as the admin API reads and replaces it. <c>secondFactors</c>: <c>any</c>, or
/// <c>authenticator</c> (an app only; emailed codes do not count for NIST SP 800-63B AAL2); <c>trustedDevices</c>:
/// whether members may skip the code on a remembered device; <c>maxSessionMinutes</c>: the longest browser session, or
/// null for the server's own limit.
/// </summary>
public sealed record SecurityPolicyInput
{
    public string? SecondFactors { get; init; }
    public bool? TrustedDevices { get; init; }
    public int? MaxSessionMinutes { get; init; }
}

public sealed record SecurityPolicyView(Guid CompanyId, string SecondFactors, bool TrustedDevices, int? MaxSessionMinutes)
{
    [JsonIgnore]
    public string Version => TenancyVersions.Of(CompanyId.ToString(), SecondFactors, TrustedDevices.ToString(),
        MaxSessionMinutes?.ToString(CultureInfo.InvariantCulture) ?? "");
}

/// <summary>
/// Reads and replaces a company's security policy: its owners and admins for their own company (another company's
/// answers exactly as a missing one, 404), platform admins for every company. Members meet it at their next sign-in.
/// </summary>
public sealed class AdminSecurityPolicy(RuumDbContext db, AdminAudit audit)
{
    public const string AnyFactor = "any";
    public const string AuthenticatorOnly = "authenticator";

    /// <summary>Shorter would sign people out mid-task; longer than a week is beyond what Production allows a session at all.</summary>
    public const int MinSessionMinutes = 5;
    public const int MaxSessionMinutes = 7 * 24 * 60;

    public async Task<AdminResult<SecurityPolicyView>> GetAsync(AdminCaller caller, Guid companyId, CancellationToken cancellationToken) =>
        await FindAsync(caller, companyId, cancellationToken) is { } company ? View(company) : AdminError.NotFound("company");

    public async Task<AdminResult<SecurityPolicyView>> ReplaceAsync(AdminCaller caller, Guid companyId, SecurityPolicyInput input,
        Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await FindAsync(caller, companyId, cancellationToken) is not { } company)
        {
            return AdminError.NotFound("company");
        }
        if (Check(input) is { } invalid)
        {
            return invalid;
        }
        if (!isCurrent(View(company).Version))
        {
            return AdminError.Stale;
        }
        company.RequireAuthenticator = input.SecondFactors == AuthenticatorOnly;
        company.ForbidTrustedDevices = input.TrustedDevices == false;
        company.MaxSessionMinutes = input.MaxSessionMinutes;
        await db.SaveChangesAsync(cancellationToken);
        var view = View(company);
        await audit.RecordAsync(caller, AuditEventTypes.AdminCompanyPolicyChanged, "company:" + companyId,
            new { second_factors = view.SecondFactors, trusted_devices = view.TrustedDevices, max_session_minutes = view.MaxSessionMinutes },
            companyId, cancellationToken);
        return view;
    }

    private async Task<Company?> FindAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Administers(id) ? await db.Set<Company>().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
    }

    private static AdminError? Check(SecurityPolicyInput input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (input.SecondFactors is not (AnyFactor or AuthenticatorOnly))
        {
            errors["secondFactors"] = [$"Required: \"{AnyFactor}\" or \"{AuthenticatorOnly}\"."];
        }
        if (input.TrustedDevices is null)
        {
            errors["trustedDevices"] = ["Required: true or false."];
        }
        if (input.MaxSessionMinutes is < MinSessionMinutes or > MaxSessionMinutes)
        {
            errors["maxSessionMinutes"] = [$"From {MinSessionMinutes} to {MaxSessionMinutes} minutes, or null for the server's limit."];
        }
        return errors.Count == 0 ? null : AdminError.Fields(errors);
    }

    private static SecurityPolicyView View(Company company) =>
        new(company.Id, company.RequireAuthenticator ? AuthenticatorOnly : AnyFactor, !company.ForbidTrustedDevices, company.MaxSessionMinutes);
}
