using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Admin.Clients;

/// <summary>
/// The rules for OAuth clients, shared by the admin API and (later) the console. Clients are stored by OpenIddict's
/// manager (<c>RuumApplicationManager</c>: keyed secret hashes, GUID-shaped ids refused, its cache dropped on change).
/// A disabled client keeps its permissions in a property and holds none, so OpenIddict refuses it everywhere.
/// </summary>
public sealed class AdminClients(
    RuumDbContext db,
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    IOptions<OpenIddictServerOptions> server,
    AccessTokenCutoffs cutoffs,
    AdminAudit audit)
{
    /// <summary>Where a disabled client's permissions wait to be given back.</summary>
    internal const string DisabledPermissionsProperty = "ruum_disabled_permissions";

    public async Task<Page<ClientView>> ListAsync(AdminPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = page.After;
        var rows = await db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking()
            .Where(a => after == null || a.ClientId!.CompareTo(after) > 0)
            .OrderBy(a => a.ClientId).Take(page.Limit + 1).ToListAsync(cancellationToken);
        var views = new List<ClientView>(rows.Count);
        foreach (var row in rows)
        {
            views.Add(await ViewAsync(row, cancellationToken));
        }
        return Pages.Of(views, page.Limit, view => view.ClientId);
    }

    public async Task<AdminResult<ClientView>> GetAsync(string clientId, CancellationToken cancellationToken) =>
        await LoadAsync(clientId, cancellationToken) is { } application
            ? await ViewAsync(application, cancellationToken)
            : AdminError.NotFound("client");

    /// <param name="secret">Only for clients declared in configuration (<c>Ruum:Provisioning</c>); otherwise the server generates it.</param>
    public async Task<AdminResult<ClientView>> CreateAsync(AdminCaller caller, ClientInput input, CancellationToken cancellationToken,
        string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ClientRules.CheckClientId(input.ClientId, errors);
        if (input.Type is not (ClientTypes.Confidential or ClientTypes.Public))
        {
            errors["type"] = ["The type is 'confidential' or 'public'."];
        }
        ClientRules.Check(input, input.Type ?? "", await KnownScopesAsync(cancellationToken), errors);
        if (errors.Count > 0)
        {
            return AdminError.Fields(errors);
        }
        if (await db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.ClientId == input.ClientId, cancellationToken))
        {
            return AdminError.Conflict("A client with this id already exists.");
        }
        var descriptor = new OpenIddictApplicationDescriptor { ClientId = input.ClientId, ClientType = input.Type };
        Apply(input, descriptor);
        secret = input.Type == ClientTypes.Confidential ? secret ?? NewSecret() : null;
        descriptor.ClientSecret = secret;
        await applications.CreateAsync(descriptor, cancellationToken);
        var view = await ViewAsync((await LoadAsync(input.ClientId!, cancellationToken))!, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminClientCreated, "client:" + view.ClientId, Summary(view), cancellationToken: cancellationToken);
        return view with { ClientSecret = secret };
    }

    public async Task<AdminResult<ClientView>> UpdateAsync(AdminCaller caller, string clientId, ClientInput input, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await LoadAsync(clientId, cancellationToken) is not { } application)
        {
            return AdminError.NotFound("client");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (input.ClientId is not null && input.ClientId != clientId)
        {
            errors["clientId"] = ["The client id cannot change: create a new client instead."];
        }
        if (input.Type is not null && input.Type != application.ClientType)
        {
            errors["type"] = ["The type cannot change: create a new client instead."];
        }
        ClientRules.Check(input, application.ClientType ?? "", await KnownScopesAsync(cancellationToken), errors);
        if (errors.Count > 0)
        {
            return AdminError.Fields(errors);
        }
        if (!isCurrent(application.ConcurrencyToken))
        {
            return AdminError.Stale;
        }
        var before = await ViewAsync(application, cancellationToken);
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        var disabled = descriptor.Properties.ContainsKey(DisabledPermissionsProperty);
        Apply(input, descriptor);
        if (disabled)
        {
            Disable(descriptor);
        }
        if (await SaveAsync(application, descriptor, cancellationToken) is { } stale)
        {
            return stale;
        }
        var after = await ViewAsync(application, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminClientUpdated, "client:" + clientId, Changes(before, after), cancellationToken: cancellationToken);
        return after;
    }

    /// <summary>Disabling also ends what the client holds: refresh tokens, authorizations, and (by the cutoff) its access tokens.</summary>
    public async Task<AdminResult<ClientView>> SetEnabledAsync(AdminCaller caller, string clientId, bool enabled, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await LoadAsync(clientId, cancellationToken) is not { } application)
        {
            return AdminError.NotFound("client");
        }
        if (!isCurrent(application.ConcurrencyToken))
        {
            return AdminError.Stale;
        }
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        var isDisabled = descriptor.Properties.ContainsKey(DisabledPermissionsProperty);
        if (isDisabled == !enabled)
        {
            return await ViewAsync(application, cancellationToken);
        }
        if (enabled)
        {
            Enable(descriptor);
        }
        else
        {
            Disable(descriptor);
        }
        if (await SaveAsync(application, descriptor, cancellationToken) is { } stale)
        {
            return stale;
        }
        if (!enabled)
        {
            await RevokeEverythingAsync(application, clientId, cancellationToken);
        }
        await audit.RecordAsync(caller, enabled ? AuditEventTypes.AdminClientEnabled : AuditEventTypes.AdminClientDisabled, "client:" + clientId,
            cancellationToken: cancellationToken);
        return await ViewAsync(application, cancellationToken);
    }

    public async Task<AdminError?> DeleteAsync(AdminCaller caller, string clientId, Func<string?, bool> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await LoadAsync(clientId, cancellationToken) is not { } application)
        {
            return AdminError.NotFound("client");
        }
        if (!isCurrent(application.ConcurrencyToken))
        {
            return AdminError.Stale;
        }
        if (caller.IsClient && caller.ClientId == clientId)
        {
            return AdminError.Conflict("A client cannot delete itself: another admin must.");
        }
        await RevokeEverythingAsync(application, clientId, cancellationToken);
        // OpenIddict's store deletes the client's tokens and authorizations with it.
        await applications.DeleteAsync(application, cancellationToken);
        await audit.RecordAsync(caller, AuditEventTypes.AdminClientDeleted, "client:" + clientId, cancellationToken: cancellationToken);
        return null;
    }

    /// <summary>A new secret replaces the old one at once (no overlap): shown once, stored only as its keyed hash.</summary>
    public async Task<AdminResult<RotatedSecret>> RotateSecretAsync(AdminCaller caller, string clientId, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken, string? newSecret = null)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (await LoadAsync(clientId, cancellationToken) is not { } application)
        {
            return AdminError.NotFound("client");
        }
        if (application.ClientType != ClientTypes.Confidential)
        {
            return AdminError.Field("type", "A public client has no secret to rotate.");
        }
        if (!isCurrent(application.ConcurrencyToken))
        {
            return AdminError.Stale;
        }
        var secret = newSecret ?? NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        descriptor.ClientSecret = secret;
        if (await SaveAsync(application, descriptor, cancellationToken) is { } stale)
        {
            return stale;
        }
        await audit.RecordAsync(caller, AuditEventTypes.AdminClientSecretRotated, "client:" + clientId, new { secret = "rotated" },
            cancellationToken: cancellationToken);
        return new RotatedSecret(clientId, secret);
    }

    /// <summary>32 random bytes, base64url: 256 bits, so a fast keyed hash stores it safely (see ClientSecretHasher).</summary>
    public static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    internal async Task<OpenIddictEntityFrameworkCoreApplication?> LoadAsync(string clientId, CancellationToken cancellationToken) =>
        // From this request's context, not the manager's shared cache: a change must start from the stored row.
        await db.Set<OpenIddictEntityFrameworkCoreApplication>().SingleOrDefaultAsync(a => a.ClientId == clientId, cancellationToken);

    internal async Task<ClientView> ViewAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        var disabled = descriptor.Properties.TryGetValue(DisabledPermissionsProperty, out var saved);
        var permissions = disabled ? saved.Deserialize<string[]>() ?? [] : descriptor.Permissions.ToArray();
        return new ClientView(
            descriptor.ClientId!,
            descriptor.DisplayName,
            descriptor.ClientType ?? ClientTypes.Public,
            descriptor.ConsentType ?? ConsentTypes.Explicit,
            [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.GrantType, StringComparison.Ordinal))
                .Select(p => p[Permissions.Prefixes.GrantType.Length..]).Order(StringComparer.Ordinal)],
            [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                .Select(p => p[Permissions.Prefixes.Scope.Length..]).Order(StringComparer.Ordinal)],
            [.. descriptor.RedirectUris.Select(u => u.OriginalString).Order(StringComparer.Ordinal)],
            [.. descriptor.PostLogoutRedirectUris.Select(u => u.OriginalString).Order(StringComparer.Ordinal)],
            !disabled)
        {
            Version = application.ConcurrencyToken,
        };
    }

    /// <summary>Every scope a client may be given: those the server declares and those stored (with their audiences).</summary>
    private async Task<HashSet<string>> KnownScopesAsync(CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(server.Value.Scopes, StringComparer.Ordinal);
        await foreach (var scope in scopes.ListAsync(cancellationToken: cancellationToken))
        {
            if (await scopes.GetNameAsync(scope, cancellationToken) is { } name)
            {
                known.Add(name);
            }
        }
        return known;
    }

    private static void Apply(ClientInput input, OpenIddictApplicationDescriptor descriptor)
    {
        descriptor.DisplayName = input.DisplayName;
        descriptor.ConsentType = input.Consent ?? ConsentTypes.Explicit;
        descriptor.RedirectUris.Clear();
        descriptor.RedirectUris.UnionWith((input.RedirectUris ?? []).Select(u => new Uri(u, UriKind.Absolute)));
        descriptor.PostLogoutRedirectUris.Clear();
        descriptor.PostLogoutRedirectUris.UnionWith((input.PostLogoutRedirectUris ?? []).Select(u => new Uri(u, UriKind.Absolute)));
        descriptor.Permissions.Clear();
        descriptor.Requirements.Clear();
        var grants = input.GrantTypes ?? [];
        descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        if (descriptor.ClientType == ClientTypes.Confidential)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }
        if (grants.Count > 0)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Token);
        }
        if (grants.Contains(GrantTypes.AuthorizationCode))
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession, Permissions.ResponseTypes.Code]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
        descriptor.Permissions.UnionWith(grants.Select(g => Permissions.Prefixes.GrantType + g));
        descriptor.Permissions.UnionWith((input.Scopes ?? []).Select(s => Permissions.Prefixes.Scope + s));
    }

    private static void Disable(OpenIddictApplicationDescriptor descriptor)
    {
        descriptor.Properties[DisabledPermissionsProperty] = JsonSerializer.SerializeToElement(descriptor.Permissions.Order(StringComparer.Ordinal).ToArray());
        descriptor.Permissions.Clear();
    }

    private static void Enable(OpenIddictApplicationDescriptor descriptor)
    {
        if (descriptor.Properties.Remove(DisabledPermissionsProperty, out var saved))
        {
            descriptor.Permissions.UnionWith(saved.Deserialize<string[]>() ?? []);
        }
    }

    private async Task<AdminError?> SaveAsync(OpenIddictEntityFrameworkCoreApplication application, OpenIddictApplicationDescriptor descriptor,
        CancellationToken cancellationToken)
    {
        try
        {
            await applications.UpdateAsync(application, descriptor, cancellationToken);
            return null;
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            return AdminError.Stale;
        }
    }

    private async Task RevokeEverythingAsync(OpenIddictEntityFrameworkCoreApplication application, string clientId, CancellationToken cancellationToken)
    {
        await cutoffs.RevokeIssuedToClientAsync(clientId, cancellationToken);
        await tokens.RevokeByApplicationIdAsync(application.Id!, cancellationToken);
        await authorizations.RevokeByApplicationIdAsync(application.Id!, cancellationToken);
    }

    private static object Summary(ClientView view) => new
    {
        view.DisplayName, view.Type, view.Consent, view.GrantTypes, view.Scopes, view.RedirectUris, view.PostLogoutRedirectUris,
    };

    private static Dictionary<string, object?> Changes(ClientView before, ClientView after)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        void Compare<T>(string name, T a, T b, Func<T, T, bool> same)
        {
            if (!same(a, b))
            {
                changes[name] = b;
            }
        }
        Compare("display_name", before.DisplayName, after.DisplayName, string.Equals);
        Compare("consent", before.Consent, after.Consent, string.Equals);
        Compare("grant_types", before.GrantTypes, after.GrantTypes, (a, b) => a.SequenceEqual(b));
        Compare("scopes", before.Scopes, after.Scopes, (a, b) => a.SequenceEqual(b));
        Compare("redirect_uris", before.RedirectUris, after.RedirectUris, (a, b) => a.SequenceEqual(b));
        Compare("post_logout_redirect_uris", before.PostLogoutRedirectUris, after.PostLogoutRedirectUris, (a, b) => a.SequenceEqual(b));
        return changes;
    }
}
