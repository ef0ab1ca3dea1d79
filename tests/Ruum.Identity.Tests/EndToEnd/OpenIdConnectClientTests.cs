using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using OpenIddict.Abstractions;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.EndToEnd;

/// <summary>A real browser, a standard OIDC client (ASP.NET Core's handler), our real server.</summary>
public sealed class OpenIdConnectClientTests(RuumServerFixture server, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private async Task RegisterAsync(RelyingParty app) =>
        await server.Server.WithServicesAsync(async services =>
        {
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            if (await applications.FindByClientIdAsync(RelyingParty.ClientId) is { } existing)
            {
                await applications.DeleteAsync(existing);
            }
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = RelyingParty.ClientId,
                ClientSecret = RelyingParty.ClientSecret,
                ClientType = ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = "Relying party",
                RedirectUris = { new Uri(app.BaseAddress, "signin-oidc") },
                PostLogoutRedirectUris = { new Uri(app.BaseAddress, "signout-callback-oidc") },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Prefixes.Scope + "ruum.api",
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        });

    [Fact]
    public async Task AspNetCoreOidcHandler_SignInAndSignOut_WorkThroughOurPages()
    {
        var user = await server.Server.CreateUserAsync();
        await using var app = await RelyingParty.StartAsync(server.Server.BaseAddress);
        await RegisterAsync(app);
        await using var session = await browser.NewSessionAsync(nameof(AspNetCoreOidcHandler_SignInAndSignOut_WorkThroughOurPages));
        var page = session.Page;

        await session.StepAsync("redirected-to-login", async () =>
        {
            await page.GotoAsync(app.BaseAddress.ToString());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
            Assert.StartsWith(server.Server.BaseAddress.ToString(), page.Url, StringComparison.Ordinal);
        });
        await session.StepAsync("back-in-the-app", async () =>
        {
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync(TestData.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.EnterEmailedCodeAsync(server.Server, user.Email);
            await Assertions.Expect(page.Locator("#hello")).ToHaveTextAsync($"Hello {user.DisplayName}");
        });
        Assert.Equal(user.Id.ToString(), await page.Locator("#sub").TextContentAsync());
        Assert.Equal(user.Email, await page.Locator("#email").TextContentAsync());
        var accessToken = new JsonWebToken(await page.Locator("#access-token").TextContentAsync());
        Assert.Equal(["ruum-api"], accessToken.Audiences);

        await session.StepAsync("signed-out", async () =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "logout").ToString());
            await Assertions.Expect(page.Locator("#bye")).ToBeVisibleAsync();
        });
        await page.GotoAsync(app.BaseAddress.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}
