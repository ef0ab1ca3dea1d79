using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>Unique data per test, created through the app's own services.</summary>
public static class TestData
{
    public const string Password = "Correct-Horse-Battery-9";
    public const string SpaClient = "dev-spa";
    public const string SpaRedirect = "http://localhost:5173/callback";

    public static string UniqueEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.test";

    public static async Task<User> CreateUserAsync(this RuumServer server, string? email = null, string password = Password, bool enabled = true)
    {
        User? user = null;
        await server.WithServicesAsync(async services =>
        {
            var hasher = services.GetRequiredService<PasswordHasher>();
            var address = email ?? UniqueEmail();
            var now = server.Clock.GetUtcNow();
            user = new User
            {
                Email = address,
                NormalizedEmail = EmailAddress.Normalize(address),
                DisplayName = "Test " + address[..8],
                PasswordHash = hasher.Hash(password),
                IsEnabled = enabled,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var db = services.GetRequiredService<Ruum.Identity.Infrastructure.Database.RuumDbContext>();
            db.Add(user);
            await db.SaveChangesAsync();
        });
        return user!;
    }

    /// <summary>A public PKCE client; third party ones (explicit consent) get the consent page.</summary>
    public static async Task<string> CreatePublicClientAsync(this RuumServer server, string redirectUri, bool thirdParty = false,
        string? postLogoutRedirectUri = null)
    {
        var clientId = "client-" + Guid.NewGuid().ToString("N")[..12];
        await server.WithServicesAsync(async services =>
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientType = ClientTypes.Public,
                ConsentType = thirdParty ? ConsentTypes.Explicit : ConsentTypes.Implicit,
                DisplayName = thirdParty ? "Partner App" : "First Party App",
                RedirectUris = { new Uri(redirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                    Permissions.Endpoints.Revocation,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Prefixes.Scope + Scopes.OfflineAccess,
                    Permissions.Prefixes.Scope + "ruum.api", Permissions.Prefixes.Scope + "ruum.permissions",
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            if (postLogoutRedirectUri is not null)
            {
                descriptor.PostLogoutRedirectUris.Add(new Uri(postLogoutRedirectUri));
            }
            await services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(descriptor);
        });
        return clientId;
    }
}
