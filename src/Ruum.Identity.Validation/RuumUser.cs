using System.Collections.ObjectModel;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Ruum.Identity.Validation;

/// <summary>
/// The caller as Ruum Identity's token describes them. Take it as a parameter of a minimal-API endpoint,
/// or call <see cref="From(ClaimsPrincipal)"/>.
/// </summary>
public sealed class RuumUser
{
    /// <summary>The <c>amr</c> value present when the user proved a second factor (RFC 8176 §2).</summary>
    public const string MultiFactorMethod = "mfa";

    private RuumUser(ClaimsPrincipal principal)
    {
        Id = principal.FindFirst(RuumClaimTypes.Subject)?.Value ?? "";
        Email = principal.FindFirst(RuumClaimTypes.Email)?.Value;
        Name = principal.FindFirst(RuumClaimTypes.Name)?.Value;
        CompanyId = Guid.TryParse(principal.FindFirst(RuumClaimTypes.CompanyId)?.Value, out var company) ? company : null;
        CompanyRole = CompanyId is null ? null : principal.FindFirst(RuumClaimTypes.CompanyRole)?.Value;
        ProjectRoles = CompanyId is null ? Empty : ParseProjectRoles(principal.FindFirst(RuumClaimTypes.ProjectRoles)?.Value);
        PlatformRoles = Values(principal, RuumClaimTypes.Role);
        Permissions = Values(principal, RuumClaimTypes.Permissions);
        AuthenticationMethods = [.. principal.FindAll(RuumClaimTypes.AuthenticationMethods).Select(c => c.Value)];
    }

    private static readonly ReadOnlyDictionary<string, string> Empty = new(new Dictionary<string, string>());

    /// <summary>The user's id (<c>sub</c>).</summary>
    public string Id { get; }

    /// <summary>The email address, when the token carries it (scope <c>email</c>).</summary>
    public string? Email { get; }

    /// <summary>The display name, when the token carries it (scope <c>profile</c>).</summary>
    public string? Name { get; }

    /// <summary>The active company, or null when the user belongs to none.</summary>
    public Guid? CompanyId { get; }

    /// <summary>The user's role in the active company.</summary>
    public string? CompanyRole { get; }

    /// <summary>Project id to project role, for the active company's projects the user belongs to.</summary>
    public IReadOnlyDictionary<string, string> ProjectRoles { get; }

    /// <summary>Platform roles such as <c>platform_admin</c>.</summary>
    public IReadOnlySet<string> PlatformRoles { get; }

    /// <summary>Permission names (only when the client asked for scope <c>ruum.permissions</c>).</summary>
    public IReadOnlySet<string> Permissions { get; }

    /// <summary>How the user signed in (<c>amr</c>): e.g. <c>pwd</c>, <c>otp</c>, <c>mfa</c>.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; }

    /// <summary>True when the sign-in included a second factor (<c>amr</c> contains <c>mfa</c>).</summary>
    public bool HasSecondFactor => AuthenticationMethods.Contains(MultiFactorMethod, StringComparer.Ordinal);

    /// <summary>The user's role in a project of the active company, or null when they have none.</summary>
    public string? ProjectRole(string projectId) => ProjectRoles.GetValueOrDefault(projectId);

    /// <summary>Whether the token grants this permission.</summary>
    public bool HasPermission(string permission) => Permissions.Contains(permission);

    /// <summary>
    /// The user of an authenticated principal; null when it has no subject (not authenticated) or is a client's own
    /// token (<see cref="IsClient"/>): a client-credentials token names no user and must never be read as one.
    /// </summary>
    public static RuumUser? From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true && principal.FindFirst(RuumClaimTypes.Subject) is not null
            && !IsClient(principal)
            ? new RuumUser(principal)
            : null;
    }

    /// <summary>
    /// Whether an authenticated principal is a client acting for itself (client credentials): its subject is its own
    /// client id, never a user id (a GUID; Ruum Identity refuses GUID-shaped client ids).
    /// </summary>
    public static bool IsClient(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var subject = principal.FindFirst(RuumClaimTypes.Subject)?.Value;
        return subject is not null
            && (!Guid.TryParse(subject, out _) || string.Equals(subject, principal.FindFirst(RuumClaimTypes.ClientId)?.Value, StringComparison.Ordinal));
    }

    /// <summary>Minimal-API binding: an endpoint parameter of type <see cref="RuumUser"/> is the authenticated caller.</summary>
    public static ValueTask<RuumUser?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(From(context.User));
    }

    private static HashSet<string> Values(ClaimsPrincipal principal, string type) =>
        principal.FindAll(type).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    // The signature already proves the claim is ours; anything but an object of strings is read as "no projects" (fail closed).
    private static ReadOnlyDictionary<string, string> ParseProjectRoles(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return Empty;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Empty;
            }
            var roles = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    roles[property.Name] = property.Value.GetString()!;
                }
            }
            return new(roles);
        }
        catch (JsonException)
        {
            return Empty;
        }
    }
}
