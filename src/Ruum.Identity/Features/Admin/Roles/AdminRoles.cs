using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Roles;

/// <summary>A new role: a named set of permissions that already exist, for one scope.</summary>
public sealed record RoleInput
{
    public string? Scope { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Permissions { get; init; }
}

public sealed record RoleView(Guid Id, string Scope, string Name, string Description, IReadOnlyList<string> Permissions);

public sealed record PermissionView(string Name, string Description);

public sealed record RoleCatalogueView(IReadOnlyList<RoleView> Roles, IReadOnlyList<PermissionView> Permissions);

/// <summary>
/// The role catalogue: every admin reads it (a company admin picks roles from it); platform admins add roles.
/// Permissions are what Ruum's APIs check, so they come with releases: a role can only name existing ones.
/// </summary>
public sealed partial class AdminRoles(RuumDbContext db, AdminAudit audit)
{
    public async Task<RoleCatalogueView> ReadAsync(CancellationToken cancellationToken)
    {
        var roles = await db.Set<Role>().AsNoTracking().ToListAsync(cancellationToken);
        var grants = await db.Set<RolePermission>().AsNoTracking().ToListAsync(cancellationToken);
        var permissions = await db.Set<Permission>().AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new PermissionView(p.Name, p.Description)).ToListAsync(cancellationToken);
        return new RoleCatalogueView(
            [.. roles.OrderBy(r => r.Scope).ThenBy(r => r.Name, StringComparer.Ordinal).Select(r => View(r, grants))],
            permissions);
    }

    public async Task<AdminResult<RoleView>> CreateAsync(AdminCaller caller, RoleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        RoleScope scope = default;
        if (input.Scope is not ("platform" or "company" or "project") || !Enum.TryParse(input.Scope, ignoreCase: true, out scope))
        {
            errors["scope"] = ["The scope is 'platform', 'company' or 'project'."];
        }
        if (input.Name is null || !NameSyntax().IsMatch(input.Name))
        {
            errors["name"] = ["2 to 50 characters of a-z, 0-9 and '_', starting with a letter."];
        }
        if (input.Description is not { } description || description.Trim().Length is 0 or > 500 || description.Any(char.IsControl))
        {
            errors["description"] = ["1 to 500 characters, without control characters."];
        }
        var wanted = (input.Permissions ?? []).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Set<Permission>().Select(p => p.Name).ToListAsync(cancellationToken);
        if (wanted.Count == 0 || wanted.Except(known, StringComparer.Ordinal).Any())
        {
            errors["permissions"] = ["Name one or more existing permissions: " + string.Join(", ", known.Order(StringComparer.Ordinal)) + "."];
        }
        if (errors.Count > 0)
        {
            return AdminError.Fields(errors);
        }
        if (await db.Set<Role>().AnyAsync(r => r.Scope == scope && r.Name == input.Name, cancellationToken))
        {
            return AdminError.Conflict("A role with this name already exists at this level (platform, company or project).");
        }
        var role = new Role { Scope = scope, Name = input.Name!, Description = input.Description!.Trim() };
        db.Add(role);
        db.AddRange(wanted.Select(p => new RolePermission { RoleId = role.Id, PermissionName = p }));
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminRoleCreated, "role:" + role.Id,
            new { scope = input.Scope, name = role.Name, permissions = wanted }, cancellationToken: cancellationToken);
        return View(role, [.. wanted.Select(p => new RolePermission { RoleId = role.Id, PermissionName = p })]);
    }

    private static RoleView View(Role role, List<RolePermission> grants) => new(
        role.Id, role.Scope.ToString().ToLowerInvariant(), role.Name, role.Description,
        [.. grants.Where(g => g.RoleId == role.Id).Select(g => g.PermissionName).Order(StringComparer.Ordinal)]);

    [GeneratedRegex("^[a-z][a-z0-9_]{1,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameSyntax();
}
