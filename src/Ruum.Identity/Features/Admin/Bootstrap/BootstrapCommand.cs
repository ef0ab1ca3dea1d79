using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Admin.Clients;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Admin.Bootstrap;

/// <summary>
/// <c>bootstrap --admin-email ops@ruum.es [--force]</c>: a fresh Production database gets its first platform admin
/// (printed: an invitation link, valid 7 days) and an automation client holding <c>ruum.admin</c> (printed: its secret,
/// once). Printed, never logged. A second run is refused unless <c>--force</c>, which adds the admin and gives the
/// automation client a new secret. Exit codes: 0 done, 1 refused, 2 usage.
/// </summary>
public static class BootstrapCommand
{
    public const string AutomationClientId = "ruum-automation";
    private const string Usage = "Usage: bootstrap --admin-email <address> [--force]";

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var at = IndexOf(args, "--admin-email");
        var email = at >= 0 && at + 1 < args.Count ? args[at + 1].Trim() : null;
        if (email is null || email.Length > EmailAddress.MaxLength || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }
        var force = IndexOf(args, "--force") >= 0;

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<RuumDbContext>();
        if (!force && await AlreadyBootstrappedAsync(db, cancellationToken))
        {
            await output.WriteLineAsync("Refused: this database already has a platform admin or the automation client. "
                + "Run with --force to add this admin and give the automation client a new secret.");
            return 1;
        }
        var caller = AdminCaller.Command("bootstrap");
        await EnsureAdminScopeAsync(provider.GetRequiredService<IOpenIddictScopeManager>(), cancellationToken);
        var user = await EnsureUserAsync(provider, db, email, cancellationToken);
        await provider.GetRequiredService<TenancyDirectory>().GrantPlatformRoleAsync(user.Id, RoleCatalogue.PlatformAdmin, cancellationToken);
        var token = await provider.GetRequiredService<Invitations>().CreateAsync(user.Id, null, caller.Actor, cancellationToken);
        var secret = await EnsureAutomationClientAsync(provider.GetRequiredService<AdminClients>(), caller, cancellationToken);
        await provider.GetRequiredService<AdminAudit>().RecordAsync(caller, AuditEventTypes.AdminBootstrapped, "user:" + user.Id,
            new { platform_admin = user.Id, automation_client = AutomationClientId, forced = force }, cancellationToken: cancellationToken);

        var issuer = provider.GetRequiredService<IOptions<TokenOptions>>().Value.Issuer;
        await output.WriteLineAsync($"""
            Platform admin: {email} (user {user.Id})
              Invitation link, valid {Invitation.Lifetime.TotalDays:0} days, shown only now:
              {Invitations.Link(issuer, token)}
            Automation client: {AutomationClientId} (client credentials, scope {AdminApi.Scope})
              Client secret, shown only now (keep it in a secret manager):
              {secret}
            """);
        return 0;
    }

    private static int IndexOf(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (string.Equals(args[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static async Task<bool> AlreadyBootstrappedAsync(RuumDbContext db, CancellationToken cancellationToken) =>
        await db.Set<PlatformRoleAssignment>().AnyAsync(a => db.Set<Role>().Any(r => r.Id == a.RoleId && r.Scope == RoleScope.Platform
            && r.Name == RoleCatalogue.PlatformAdmin), cancellationToken)
        || await db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.ClientId == AutomationClientId, cancellationToken);

    internal static async Task EnsureAdminScopeAsync(IOpenIddictScopeManager scopes, CancellationToken cancellationToken)
    {
        if (await scopes.FindByNameAsync(AdminApi.Scope, cancellationToken) is null)
        {
            await scopes.CreateAsync(new OpenIddictScopeDescriptor
            {
                Name = AdminApi.Scope,
                DisplayName = "Administer Ruum Identity",
                Resources = { AdminApi.Audience },
            }, cancellationToken);
        }
    }

    /// <summary>An invited person gets a random password nobody knows; accepting the invitation sets theirs.</summary>
    private static async Task<User> EnsureUserAsync(IServiceProvider provider, RuumDbContext db, string email, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        if (await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken) is { } existing)
        {
            return existing;
        }
        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow();
        var user = new User
        {
            Email = email,
            NormalizedEmail = normalized,
            DisplayName = email[..email.IndexOf('@', StringComparison.Ordinal)],
            PasswordHash = provider.GetRequiredService<PasswordHasher>().Hash(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32))),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    private static async Task<string> EnsureAutomationClientAsync(AdminClients clients, AdminCaller caller, CancellationToken cancellationToken)
    {
        if (await clients.LoadAsync(AutomationClientId, cancellationToken) is not null)
        {
            var rotated = await clients.RotateSecretAsync(caller, AutomationClientId, _ => true, cancellationToken);
            return rotated.Value?.ClientSecret ?? throw new InvalidOperationException(rotated.Error?.Detail);
        }
        var created = await clients.CreateAsync(caller, new ClientInput
        {
            ClientId = AutomationClientId,
            DisplayName = "Ruum automation (bootstrap)",
            Type = ClientTypes.Confidential,
            GrantTypes = [GrantTypes.ClientCredentials],
            Scopes = [AdminApi.Scope],
        }, cancellationToken);
        return created.Value?.ClientSecret ?? throw new InvalidOperationException(created.Error?.Detail);
    }
}
