using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Seed;

/// <summary>Development data, listed in the README. Idempotent: each item is created only when missing.</summary>
public sealed class DevelopmentSeed(
    RuumDbContext db,
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    PasswordHasher hasher,
    Authenticators authenticators,
    TenancyDirectory tenancy,
    TimeProvider time)
{
    public const string Password = "Ruum-Dev-Password-1";
    public const string OwnerEmail = "owner@ruum.test";
    public const string MemberEmail = "member@ruum.test";
    public const string AcmeCompany = "Acme Construcciones";
    public const string BetaCompany = "Beta Obras";
    public const string AdminClientId = "dev-admin";
    public const string AdminClientSecret = "dev-admin-secret";

    /// <summary>The owner's authenticator secret: public, so any TOTP tool can sign in as the owner in Development.</summary>
    public const string OwnerAuthenticatorSecret = "JBSWY3DPEHPK3PXP";

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await EnsureScopeAsync(new OpenIddictScopeDescriptor
        {
            Name = RuumScopes.Api,
            DisplayName = "Ruum API",
            Resources = { RuumScopes.ApiAudience },
        }, cancellationToken);

        await EnsureScopeAsync(new OpenIddictScopeDescriptor
        {
            Name = RuumScopes.Permissions,
            DisplayName = "Your permissions in Ruum",
            Resources = { RuumScopes.ApiAudience },
        }, cancellationToken);

        await EnsureScopeAsync(new OpenIddictScopeDescriptor
        {
            Name = AdminApi.Scope,
            DisplayName = "Administer Ruum Identity",
            Resources = { AdminApi.Audience },
        }, cancellationToken);

        // Automation against the admin API (client credentials), as bootstrap creates in Production.
        await EnsureClientAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = AdminClientId,
            ClientSecret = AdminClientSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = "Development admin automation",
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + AdminApi.Scope,
            },
        }, cancellationToken);

        await EnsureClientAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = "dev-service",
            ClientSecret = "dev-service-secret",
            ClientType = ClientTypes.Confidential,
            DisplayName = "Development service",
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + RuumScopes.Api,
            },
        }, cancellationToken);

        await EnsureClientAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = "dev-spa",
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Ruum web app (development)",
            RedirectUris = { new Uri("http://localhost:5173/callback") },
            PostLogoutRedirectUris = { new Uri("http://localhost:5173/") },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
                Permissions.Prefixes.Scope + RuumScopes.Api,
                Permissions.Prefixes.Scope + RuumScopes.Permissions,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        }, cancellationToken);

        await EnsureClientAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = RuumScopes.ApiAudience,
            ClientSecret = "ruum-api-secret",
            ClientType = ClientTypes.Confidential,
            DisplayName = "Ruum API (resource server)",
            Permissions = { Permissions.Endpoints.Introspection },
        }, cancellationToken);

        var owner = await EnsureUserAsync(OwnerEmail, "Olivia Owner", cancellationToken);
        var member = await EnsureUserAsync(MemberEmail, "Mario Member", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await SeedCompaniesAsync(owner, member, cancellationToken);
        await tenancy.GrantPlatformRoleAsync(owner.Id, RoleCatalogue.PlatformAdmin, cancellationToken);
        if (!await db.Set<Authenticator>().AnyAsync(a => a.UserId == owner.Id, cancellationToken))
        {
            await authenticators.SaveAsync(owner.Id, OwnerAuthenticatorSecret, confirmed: true, cancellationToken);
        }
    }

    /// <summary>Acme: owner and member with different company and project roles. Beta: another company, for cross-company checks.</summary>
    private async Task SeedCompaniesAsync(User owner, User member, CancellationToken cancellationToken)
    {
        var acme = await tenancy.EnsureCompanyAsync(AcmeCompany, cancellationToken);
        var torreNorte = await tenancy.EnsureProjectAsync(acme.Id, "Torre Norte", cancellationToken);
        var residencialSur = await tenancy.EnsureProjectAsync(acme.Id, "Residencial Sur", cancellationToken);
        await tenancy.SetCompanyRoleAsync(owner.Id, acme.Id, RoleCatalogue.CompanyOwner, cancellationToken);
        await tenancy.SetProjectRoleAsync(owner.Id, torreNorte.Id, RoleCatalogue.ProjectManager, cancellationToken);
        await tenancy.SetProjectRoleAsync(owner.Id, residencialSur.Id, RoleCatalogue.ProjectManager, cancellationToken);
        await tenancy.SetCompanyRoleAsync(member.Id, acme.Id, RoleCatalogue.CompanyMember, cancellationToken);
        await tenancy.SetProjectRoleAsync(member.Id, torreNorte.Id, RoleCatalogue.ProjectViewer, cancellationToken);
        await tenancy.SetProjectRoleAsync(member.Id, residencialSur.Id, RoleCatalogue.ProjectEditor, cancellationToken);

        var beta = await tenancy.EnsureCompanyAsync(BetaCompany, cancellationToken);
        await tenancy.EnsureProjectAsync(beta.Id, "Nave Industrial Este", cancellationToken);
    }

    private async Task EnsureScopeAsync(OpenIddictScopeDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (await scopes.FindByNameAsync(descriptor.Name!, cancellationToken) is null)
        {
            await scopes.CreateAsync(descriptor, cancellationToken);
        }
    }

    private async Task EnsureClientAsync(OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }

    private async Task<User> EnsureUserAsync(string email, string name, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        var user = await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            var now = time.GetUtcNow();
            user = new User
            {
                Email = email,
                NormalizedEmail = normalized,
                DisplayName = name,
                PasswordHash = hasher.Hash(Password),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Add(user);
        }
        return user;
    }
}
