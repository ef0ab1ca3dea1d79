using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ruum.Identity.Validation;

/// <summary>Authorization rules over the token's tenancy claims, for <c>RequireAuthorization(policy => ...)</c> or named policies.</summary>
public static class RuumPolicies
{
    /// <summary>The route parameter <see cref="RequireProjectRole"/> reads by default.</summary>
    public const string ProjectIdRouteParameter = "projectId";

    /// <summary>The caller must be a user: a client's own token (client credentials) is refused (403, saying so).</summary>
    public static AuthorizationPolicyBuilder RequireUser(this AuthorizationPolicyBuilder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new UserRequirement());
    }

    /// <summary>The caller's role in the active company must be one of <paramref name="roles"/>.</summary>
    public static AuthorizationPolicyBuilder RequireCompanyRole(this AuthorizationPolicyBuilder policy, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new CompanyRoleRequirement(roles));
    }

    /// <summary>
    /// The caller's role in the project named by the route parameter <c>{projectId}</c> must be one of <paramref name="roles"/>.
    /// A project of another company is never in the token, so it fails like any project the caller is not in (403).
    /// </summary>
    public static AuthorizationPolicyBuilder RequireProjectRole(this AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.RequireProjectRoleFromRoute(ProjectIdRouteParameter, roles);

    /// <summary>As <see cref="RequireProjectRole"/>, with the project id read from another route parameter.</summary>
    public static AuthorizationPolicyBuilder RequireProjectRoleFromRoute(this AuthorizationPolicyBuilder policy, string routeParameter, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new ProjectRoleRequirement(routeParameter, roles));
    }

    /// <summary>The token must carry the permission (clients ask for scope <c>ruum.permissions</c> to get them).</summary>
    public static AuthorizationPolicyBuilder RequirePermission(this AuthorizationPolicyBuilder policy, string permission)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission));
    }

    /// <summary>The user must have proved a second factor at sign-in (<c>amr</c> contains <c>mfa</c>).</summary>
    public static AuthorizationPolicyBuilder RequireSecondFactor(this AuthorizationPolicyBuilder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new SecondFactorRequirement());
    }
}

/// <summary>See <see cref="RuumPolicies.RequireUser"/>; every other requirement here needs a user too.</summary>
public sealed record UserRequirement : IAuthorizationRequirement;

/// <summary>See <see cref="RuumPolicies.RequireCompanyRole"/>.</summary>
public sealed record CompanyRoleRequirement(IReadOnlyList<string> Roles) : IAuthorizationRequirement;

/// <summary>See <see cref="RuumPolicies.RequireProjectRole"/>.</summary>
public sealed record ProjectRoleRequirement(string RouteParameter, IReadOnlyList<string> Roles) : IAuthorizationRequirement;

/// <summary>See <see cref="RuumPolicies.RequirePermission"/>.</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

/// <summary>See <see cref="RuumPolicies.RequireSecondFactor"/>.</summary>
public sealed record SecondFactorRequirement : IAuthorizationRequirement;

/// <summary>Checks the five requirements; each failure carries a reason that becomes the 403 problem's detail.</summary>
internal sealed class RuumRequirementsHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var user = RuumUser.From(context.User);
        if (user is null)
        {
            if (context.User.Identity?.IsAuthenticated == true && RuumUser.IsClient(context.User)
                && context.PendingRequirements.Any(requirement => requirement is UserRequirement or CompanyRoleRequirement
                    or ProjectRoleRequirement or PermissionRequirement or SecondFactorRequirement))
            {
                context.Fail(new AuthorizationFailureReason(this, "This needs a user's token; a client's own token (client credentials) names no user."));
            }
            return Task.CompletedTask;
        }
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            var failure = requirement switch
            {
                CompanyRoleRequirement r => user.CompanyRole is { } role && r.Roles.Contains(role, StringComparer.Ordinal)
                    ? null : "Your role in the active company does not allow this.",
                ProjectRoleRequirement r => ProjectIdOf(context.Resource, r.RouteParameter) is not { Length: > 0 } projectId
                    ? "The request names no project."
                    : user.ProjectRole(projectId) is { } role && r.Roles.Contains(role, StringComparer.Ordinal)
                        ? null : "Your role in this project does not allow this, or the project is not one of yours in the active company.",
                PermissionRequirement r => user.HasPermission(r.Permission) ? null : $"This needs the permission '{r.Permission}'.",
                SecondFactorRequirement => user.HasSecondFactor ? null : "Sign in with a second factor to do this.",
                UserRequirement => null,
                _ => "",
            };
            if (failure is null)
            {
                context.Succeed(requirement);
            }
            else if (failure.Length > 0)
            {
                context.Fail(new AuthorizationFailureReason(this, failure));
            }
        }
        return Task.CompletedTask;
    }

    // With endpoint routing the resource is the HttpContext.
    private static string? ProjectIdOf(object? resource, string parameter) =>
        resource is HttpContext http ? http.GetRouteValue(parameter) as string : null;
}
