using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Admin.Clients;
using Ruum.Identity.Features.Admin.Scopes;
using Ruum.Identity.Features.Clients;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Admin.Bootstrap;

/// <summary>
/// Applies <see cref="ProvisioningOptions"/> through the admin services, so declared clients obey the same rules as
/// clients made through the API. Idempotent: what already matches is left alone (and not audited again); what differs
/// is updated; nothing undeclared is touched. Returns 1 and prints why when a declaration is invalid.
/// </summary>
public static class Provisioning
{
    public const string SecretsSection = ProvisioningOptions.Section + ":Secrets";

    public static async Task<int> ApplyAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        var options = services.GetRequiredService<IOptions<ProvisioningOptions>>().Value;
        var configuration = services.GetRequiredService<IConfiguration>();
        await using var scope = services.CreateAsyncScope();
        var caller = AdminCaller.Command("provisioning");
        var failures = 0;
        var scopes = scope.ServiceProvider.GetRequiredService<AdminScopes>();
        foreach (var declared in options.Scopes)
        {
            failures += await ReportAsync(output, "scope " + declared.Name, await ApplyScopeAsync(scopes, caller, declared, cancellationToken));
        }
        var clients = scope.ServiceProvider.GetRequiredService<AdminClients>();
        var hasher = scope.ServiceProvider.GetRequiredService<ClientSecretHasher>();
        foreach (var declared in options.Clients)
        {
            var problem = SecretOf(configuration, declared, out var secret)
                ?? await ApplyClientAsync(clients, hasher, caller, declared, secret, cancellationToken);
            failures += await ReportAsync(output, "client " + declared.ClientId, problem);
        }
        return failures == 0 ? 0 : 1;
    }

    private static async Task<int> ReportAsync(TextWriter output, string what, AdminError? problem)
    {
        if (problem is null)
        {
            return 0;
        }
        var details = problem.Errors is null ? problem.Detail : string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        await output.WriteLineAsync($"Provisioning {what} failed: {details}");
        return 1;
    }

    private static async Task<AdminError?> ApplyScopeAsync(AdminScopes scopes, AdminCaller caller, ScopeInput declared, CancellationToken cancellationToken)
    {
        var current = await scopes.GetAsync(declared.Name ?? "", cancellationToken);
        if (current.Value is not { } view)
        {
            return (await scopes.CreateAsync(caller, declared, cancellationToken)).Error;
        }
        var same = view.DisplayName == declared.DisplayName && view.Description == declared.Description
            && view.Resources.SequenceEqual((declared.Resources ?? []).Order(StringComparer.Ordinal));
        return same ? null : (await scopes.UpdateAsync(caller, view.Name, declared, _ => true, cancellationToken)).Error;
    }

    private static async Task<AdminError?> ApplyClientAsync(AdminClients clients, ClientSecretHasher hasher, AdminCaller caller, ClientInput declared,
        string? secret, CancellationToken cancellationToken)
    {
        if (await clients.LoadAsync(declared.ClientId ?? "", cancellationToken) is not { } stored)
        {
            return (await clients.CreateAsync(caller, declared, cancellationToken, secret)).Error;
        }
        var view = await clients.ViewAsync(stored, cancellationToken);
        if (!Matches(view, declared))
        {
            if ((await clients.UpdateAsync(caller, view.ClientId, declared, _ => true, cancellationToken)).Error is { } error)
            {
                return error;
            }
            stored = (await clients.LoadAsync(view.ClientId, cancellationToken))!;
        }
        if (secret is not null && (stored.ClientSecret is null || !hasher.Verify(secret, stored.ClientSecret)))
        {
            return (await clients.RotateSecretAsync(caller, view.ClientId, _ => true, cancellationToken, secret)).Error;
        }
        return null;
    }

    private static bool Matches(ClientView view, ClientInput declared) =>
        view.DisplayName == declared.DisplayName
        && view.Type == declared.Type
        && view.Consent == (declared.Consent ?? ConsentTypes.Explicit)
        && view.GrantTypes.SequenceEqual((declared.GrantTypes ?? []).Order(StringComparer.Ordinal))
        && view.Scopes.SequenceEqual((declared.Scopes ?? []).Order(StringComparer.Ordinal))
        && view.RedirectUris.SequenceEqual((declared.RedirectUris ?? []).Order(StringComparer.Ordinal))
        && view.PostLogoutRedirectUris.SequenceEqual((declared.PostLogoutRedirectUris ?? []).Order(StringComparer.Ordinal));

    /// <summary>A confidential client's secret: required, at least 32 characters, and from a secret setting, never a JSON file.</summary>
    private static AdminError? SecretOf(IConfiguration configuration, ClientInput declared, out string? secret)
    {
        secret = null;
        if (declared.Type != ClientTypes.Confidential)
        {
            return null;
        }
        var key = $"{SecretsSection}:{declared.ClientId}";
        secret = configuration[key];
        if (string.IsNullOrEmpty(secret) || secret.Length < 32)
        {
            return AdminError.Field("secret", $"Set {key} (environment: {key.Replace(":", "__", StringComparison.Ordinal)}) to a secret of at least 32 characters.");
        }
        if (configuration is IConfigurationRoot root && root.Providers.LastOrDefault(p => p.TryGet(key, out _)) is JsonConfigurationProvider file)
        {
            secret = null;
            return AdminError.Field("secret", $"{key} comes from {file.Source.Path}: a secret belongs in a secret setting (environment, secret store), never in a file.");
        }
        return null;
    }
}
