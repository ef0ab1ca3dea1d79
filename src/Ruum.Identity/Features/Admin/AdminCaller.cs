namespace Ruum.Identity.Features.Admin;

/// <summary>
/// Who is calling the admin API, as the access token and the database say now: a user (a platform admin, or the
/// owner or admin of some companies), or an automation client that holds <c>ruum.admin</c> (platform-wide).
/// </summary>
public sealed record AdminCaller(Guid? UserId, string? ClientId, bool IsPlatformAdmin, IReadOnlySet<Guid> AdministeredCompanies)
{
    /// <summary>The client that presented the token: the automation client itself, or the application a user called through.</summary>
    public string? ClientId { get; } = ClientId;

    public bool IsClient => UserId is null;

    /// <summary>Who the audit log names: <c>user:&lt;id&gt;</c>, <c>client:&lt;id&gt;</c>, or <c>command:&lt;name&gt;</c> run on the server.</summary>
    public string Actor { get; init; } = UserId is { } id ? "user:" + id : "client:" + ClientId;

    /// <summary>A command run by an operator on the server (bootstrap, migrate's provisioning): platform-wide.</summary>
    public static AdminCaller Command(string name) => new(null, null, true, new HashSet<Guid>()) { Actor = "command:" + name };

    /// <summary>Whether the caller may see and manage this company's things; anything else is answered as missing (404).</summary>
    public bool Administers(Guid companyId) => IsPlatformAdmin || AdministeredCompanies.Contains(companyId);

    public static AdminCaller Of(HttpContext context) =>
        context.Features.Get<AdminCaller>() ?? throw new InvalidOperationException("The admin API's access filter did not run.");
}
