namespace Ruum.Identity.Validation;

/// <summary>The claims of Ruum Identity's token contract (see the README, "Protecting a Ruum API").</summary>
public static class RuumClaimTypes
{
    /// <summary>The user's id (a Guid string), or the client id for service tokens.</summary>
    public const string Subject = "sub";

    /// <summary>The client the token was issued to; a client's own token (client credentials) has it as its subject too.</summary>
    public const string ClientId = "client_id";

    /// <summary>The user's email address (scope <c>email</c>).</summary>
    public const string Email = "email";

    /// <summary>The user's display name (scope <c>profile</c>).</summary>
    public const string Name = "name";

    /// <summary>Platform roles (e.g. <c>platform_admin</c>), a JSON array; absent when the user has none.</summary>
    public const string Role = "role";

    /// <summary>The active company's id (a Guid string); absent when the user belongs to no company.</summary>
    public const string CompanyId = "company_id";

    /// <summary>The user's role in the active company: <c>owner</c>, <c>admin</c>, <c>member</c> or <c>viewer</c>.</summary>
    public const string CompanyRole = "company_role";

    /// <summary>One JSON object mapping each of the active company's projects the user belongs to, to their project role.</summary>
    public const string ProjectRoles = "project_roles";

    /// <summary>A JSON array of permission names, present when the client asked for scope <c>ruum.permissions</c>.</summary>
    public const string Permissions = "permissions";

    /// <summary>Authentication methods (RFC 8176), a JSON array: <c>pwd</c>, <c>otp</c>, <c>mfa</c>.</summary>
    public const string AuthenticationMethods = "amr";
}
