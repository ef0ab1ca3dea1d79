using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// <c>revoke --all | --user EMAIL | --company ID | --client ID</c>, for a breach: for each user in scope a new security
/// stamp (which ends their sessions and refresh tokens), their refresh tokens and authorizations revoked, their trusted
/// devices removed and their access-token cutoff moved to now (introspection and userinfo refuse older tokens at
/// once); for a client, its tokens and authorizations and its cutoff. Prints the counts and records an audit event.
/// An unknown user, company or client changes nothing and exits 2.
/// </summary>
public static class RevokeCommand
{
    private const string Usage = "Usage: revoke --all | --user EMAIL | --company ID | --client ID";

    public static bool Matches(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Array.IndexOf(args, "revoke") is var at && at >= 0 && at + 1 < args.Length && args[at + 1].StartsWith("--", StringComparison.Ordinal);
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rest = args[(Array.IndexOf(args, "revoke") + 1)..];
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<RuumDbContext>();
        var applications = provider.GetRequiredService<IOpenIddictApplicationManager>();

        List<Guid> users;
        List<(string ClientId, string ApplicationId)> clients = [];
        switch (rest)
        {
            case ["--all"]:
                users = await db.Set<User>().Select(u => u.Id).ToListAsync(cancellationToken);
                await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
                {
                    clients.Add((await applications.GetClientIdAsync(application, cancellationToken) ?? "",
                        await applications.GetIdAsync(application, cancellationToken) ?? ""));
                }
                break;
            case ["--user", var email]:
                var normalized = EmailAddress.Normalize(email);
                users = await db.Set<User>().Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).ToListAsync(cancellationToken);
                if (users.Count == 0)
                {
                    return await FailAsync(output, $"No user has the email address {email}: nothing was revoked.");
                }
                break;
            case ["--company", var company]:
                if (!Guid.TryParse(company, out var companyId) || !await db.Set<Company>().AnyAsync(c => c.Id == companyId, cancellationToken))
                {
                    return await FailAsync(output, $"No company has the id {company}: nothing was revoked.");
                }
                users = await db.Set<CompanyMembership>().Where(m => m.CompanyId == companyId).Select(m => m.UserId).Distinct().ToListAsync(cancellationToken);
                break;
            case ["--client", var clientId]:
                if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } client)
                {
                    return await FailAsync(output, $"No client has the client_id {clientId}: nothing was revoked.");
                }
                users = [];
                clients.Add((clientId, await applications.GetIdAsync(client, cancellationToken) ?? ""));
                break;
            default:
                return await FailAsync(output, Usage);
        }

        var tokens = provider.GetRequiredService<IOpenIddictTokenManager>();
        var authorizations = provider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var cutoffs = provider.GetRequiredService<AccessTokenCutoffs>();
        var credentials = provider.GetRequiredService<CredentialChanges>();
        long revokedTokens = 0, revokedAuthorizations = 0;
        var devices = 0;
        foreach (var userId in users)
        {
            var ended = await credentials.EndEverythingAsync(userId, "incident", SessionEndedBy.Incident, cancellationToken);
            devices += ended.TrustedDevices;
            revokedTokens += ended.Tokens;
            revokedAuthorizations += ended.Authorizations;
        }
        foreach (var (clientId, applicationId) in clients)
        {
            revokedTokens += await tokens.RevokeAsync(subject: null, applicationId, Statuses.Valid, type: null, cancellationToken);
            revokedAuthorizations += await authorizations.RevokeAsync(subject: null, applicationId, Statuses.Valid, type: null, cancellationToken);
            await cutoffs.RevokeIssuedToClientAsync(clientId, cancellationToken);
        }

        var target = string.Join(' ', rest);
        await provider.GetRequiredService<AuditLog>().RecordAsync(AuditEventTypes.IncidentRevoked, AuditOutcomes.Success, userId: null, new
        {
            target,
            users = users.Count,
            clients = clients.Count,
            tokens = revokedTokens,
            authorizations = revokedAuthorizations,
            devices,
        }, cancellationToken: cancellationToken);
        await output.WriteLineAsync($"Revoked ({target}): {users.Count} users signed out everywhere, {revokedTokens} tokens and "
            + $"{revokedAuthorizations} authorizations revoked, {devices} trusted devices removed, access-token cutoffs moved for "
            + $"{users.Count} users and {clients.Count} clients.");
        return 0;
    }

    private static async Task<int> FailAsync(TextWriter output, string message)
    {
        await output.WriteLineAsync(message);
        return 2;
    }
}
