namespace Ruum.Identity.Features.Tenancy;

/// <summary>The tenancy claims of the token contract (README, "Protecting a Ruum API"); Ruum.Identity.Validation reads the same names.</summary>
public static class TenancyClaimTypes
{
    /// <summary>The active company's id (a Guid string).</summary>
    public const string CompanyId = "company_id";

    /// <summary>The user's role in the active company.</summary>
    public const string CompanyRole = "company_role";

    /// <summary>One JSON object: project id -> project role, for the active company's projects only.</summary>
    public const string ProjectRoles = "project_roles";

    /// <summary>JSON array of permission names (platform roles + active company role); only with scope <c>ruum.permissions</c>.</summary>
    public const string Permissions = "permissions";
}
