using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OidcScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace Ruum.Identity.Features.Admin.Scopes;

/// <summary>A scope and the audiences (resources) its access tokens carry (RFC 8707's resource indicators, as data).</summary>
public sealed record ScopeInput
{
    public string? Name { get; init; }

    public string? DisplayName { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Resources { get; init; }
}

public sealed record ScopeView(string Name, string? DisplayName, string? Description, IReadOnlyList<string> Resources)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Version { get; init; }
}

/// <summary>The rules for scopes, stored by OpenIddict's scope manager (whose resources answer is cached, see RuumScopeManager).</summary>
public sealed partial class AdminScopes(RuumDbContext db, IOpenIddictScopeManager scopes, AdminAudit audit)
{
    /// <summary>OpenID Connect's own scopes: they release claims by the protocol's rules, not as API audiences.</summary>
    private static readonly string[] ProtocolScopes = [OidcScopes.OpenId, OidcScopes.Profile, OidcScopes.Email, OidcScopes.OfflineAccess, OidcScopes.Phone, OidcScopes.Address];

    public async Task<Page<ScopeView>> ListAsync(AdminPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = page.After;
        var rows = await db.Set<OpenIddictEntityFrameworkCoreScope>().AsNoTracking()
            .Where(s => after == null || s.Name!.CompareTo(after) > 0)
            .OrderBy(s => s.Name).Take(page.Limit + 1).ToListAsync(cancellationToken);
        var views = new List<ScopeView>(rows.Count);
        foreach (var row in rows)
        {
            views.Add(await ViewAsync(row, cancellationToken));
        }
        return Pages.Of(views, page.Limit, view => view.Name);
    }

    public async Task<AdminResult<ScopeView>> GetAsync(string name, CancellationToken cancellationToken) =>
        await LoadAsync(name, cancellationToken) is { } scope ? await ViewAsync(scope, cancellationToken) : AdminError.NotFound("scope");

    public async Task<AdminResult<ScopeView>> CreateAsync(AdminCaller caller, ScopeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = Check(input);
        if (string.IsNullOrEmpty(input.Name) || !NameSyntax().IsMatch(input.Name))
        {
            errors["name"] = ["The name must be 2 to 100 characters of a-z, 0-9, '.', '_', ':' and '-'."];
        }
        else if (ProtocolScopes.Contains(input.Name, StringComparer.Ordinal))
        {
            errors["name"] = ["OpenID Connect's own scopes are built in."];
        }
        if (errors.Count > 0)
        {
            return AdminError.Fields(errors);
        }
        if (await LoadAsync(input.Name!, cancellationToken) is not null)
        {
            return AdminError.Conflict("A scope with this name already exists.");
        }
        var descriptor = new OpenIddictScopeDescriptor { Name = input.Name };
        Apply(input, descriptor);
        await scopes.CreateAsync(descriptor, cancellationToken);
        var view = await ViewAsync((await LoadAsync(input.Name!, cancellationToken))!, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminScopeCreated, "scope:" + view.Name,
            new { view.DisplayName, view.Resources }, cancellationToken: cancellationToken);
        return view;
    }

    public async Task<AdminResult<ScopeView>> UpdateAsync(AdminCaller caller, string name, ScopeInput input, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await LoadAsync(name, cancellationToken) is not { } scope)
        {
            return AdminError.NotFound("scope");
        }
        var errors = Check(input);
        if (input.Name is not null && input.Name != name)
        {
            errors["name"] = ["The name cannot change: clients refer to it."];
        }
        if (errors.Count > 0)
        {
            return AdminError.Fields(errors);
        }
        if (!isCurrent(scope.ConcurrencyToken))
        {
            return AdminError.Stale;
        }
        var descriptor = new OpenIddictScopeDescriptor();
        await scopes.PopulateAsync(descriptor, scope, cancellationToken);
        Apply(input, descriptor);
        try
        {
            await scopes.UpdateAsync(scope, descriptor, cancellationToken);
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            return AdminError.Stale;
        }
        var view = await ViewAsync(scope, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminScopeUpdated, "scope:" + name, new { view.DisplayName, view.Resources },
            cancellationToken: cancellationToken);
        return view;
    }

    public async Task<AdminError?> DeleteAsync(AdminCaller caller, string name, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await LoadAsync(name, cancellationToken) is not { } scope)
        {
            return AdminError.NotFound("scope");
        }
        if (!isCurrent(scope.ConcurrencyToken))
        {
            return AdminError.Stale;
        }
        await scopes.DeleteAsync(scope, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminScopeDeleted, "scope:" + name, cancellationToken: cancellationToken);
        return null;
    }

    private async Task<OpenIddictEntityFrameworkCoreScope?> LoadAsync(string name, CancellationToken cancellationToken) =>
        await db.Set<OpenIddictEntityFrameworkCoreScope>().SingleOrDefaultAsync(s => s.Name == name, cancellationToken);

    private async Task<ScopeView> ViewAsync(OpenIddictEntityFrameworkCoreScope scope, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictScopeDescriptor();
        await scopes.PopulateAsync(descriptor, scope, cancellationToken);
        return new ScopeView(descriptor.Name!, descriptor.DisplayName, descriptor.Description, [.. descriptor.Resources.Order(StringComparer.Ordinal)])
        {
            Version = scope.ConcurrencyToken,
        };
    }

    private static Dictionary<string, string[]> Check(ScopeInput input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (input.DisplayName is { } displayName && (displayName.Length > 200 || displayName.Any(char.IsControl)))
        {
            errors["displayName"] = ["At most 200 characters, without control characters."];
        }
        if (input.Description is { Length: > 1000 })
        {
            errors["description"] = ["At most 1000 characters."];
        }
        var resources = input.Resources ?? [];
        if (resources.Count == 0)
        {
            errors["resources"] = ["Name at least one audience (the API that accepts this scope's tokens)."];
        }
        for (var i = 0; i < resources.Count; i++)
        {
            if (string.IsNullOrEmpty(resources[i]) || !ResourceSyntax().IsMatch(resources[i]))
            {
                errors[$"resources[{i}]"] = ["An audience is 1 to 200 visible characters without spaces."];
            }
        }
        return errors;
    }

    private static void Apply(ScopeInput input, OpenIddictScopeDescriptor descriptor)
    {
        descriptor.DisplayName = input.DisplayName;
        descriptor.Description = input.Description;
        descriptor.Resources.Clear();
        descriptor.Resources.UnionWith(input.Resources ?? []);
    }

    [GeneratedRegex("^[a-z0-9._:-]{2,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameSyntax();

    [GeneratedRegex("^[\\x21-\\x7e]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceSyntax();
}
