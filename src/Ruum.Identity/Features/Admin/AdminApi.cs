namespace Ruum.Identity.Features.Admin;

/// <summary>The admin API's names: its scope, the audience its tokens carry, and its limits.</summary>
public static class AdminApi
{
    public const string Prefix = "/api/admin";

    /// <summary>The scope an access token needs to call the admin API at all; what the caller may do depends on who they are.</summary>
    public const string Scope = "ruum.admin";

    /// <summary>The resource (audience) of <see cref="Scope"/>: a token for Ruum's APIs is no admin token.</summary>
    public const string Audience = "ruum-admin";

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}
