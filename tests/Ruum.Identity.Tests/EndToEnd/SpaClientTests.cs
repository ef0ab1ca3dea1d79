using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.EndToEnd;

/// <summary>
/// Real Chromium, a standard browser OIDC library we did not write (oidc-client-ts), a static page on its own origin:
/// every call to the identity server (discovery, token, userinfo, revocation) and to the API is a cross-origin fetch.
/// </summary>
public sealed class SpaClientTests(RuumServerFixture server, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OidcClientTs_SignInCallApiRefreshAndSignOut_WorkFromTheAppsOrigin()
    {
        var identity = server.Server;
        await using var spa = await SpaClient.StartAsync(identity.BaseAddress);
        spa.ClientId = await identity.CreatePublicClientAsync(spa.RedirectUri.ToString(), postLogoutRedirectUri: spa.PostLogoutRedirectUri.ToString());
        await using var api = await SampleApiServer.StartAsync(identity.BaseAddress, browserOrigin: spa.Origin);
        spa.Api = api.BaseAddress;
        var member = await identity.WithDatabaseAsync(db =>
            db.Set<User>().SingleAsync(u => u.NormalizedEmail == EmailAddress.Normalize(DevelopmentSeed.MemberEmail)));
        await using var session = await browser.NewSessionAsync(nameof(OidcClientTs_SignInCallApiRefreshAndSignOut_WorkFromTheAppsOrigin));
        var page = session.Page;

        await session.StepAsync("login-page", async () =>
        {
            await page.GotoAsync(spa.BaseAddress.ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(identity.BaseAddress.ToString(), StringComparison.Ordinal), new() { Timeout = 10_000 });
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        });
        await session.StepAsync("signed-in", async () =>
        {
            await page.GetByLabel("Email").FillAsync(DevelopmentSeed.MemberEmail);
            await page.GetByLabel("Password").FillAsync(DevelopmentSeed.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.EnterEmailedCodeAsync(identity, DevelopmentSeed.MemberEmail);
            Assert.Equal("signed in", await ResultAsync(page, "signed-in"));
            await Assertions.Expect(page.Locator("#user")).ToHaveTextAsync(member.Id.ToString());
            await Assertions.Expect(page.Locator("#name")).ToHaveTextAsync("Mario Member");
        });
        Assert.Equal(spa.BaseAddress.ToString(), page.Url);

        await session.StepAsync("api-called", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Call API" }).ClickAsync();
            var result = await ResultAsync(page, "api");
            Assert.StartsWith("200 ", result, StringComparison.Ordinal);
            Assert.Contains(":viewer", result, StringComparison.Ordinal);
            Assert.Contains(":editor", result, StringComparison.Ordinal);
        });

        var firstRefreshToken = await page.Locator("#refresh-token").TextContentAsync();
        await session.StepAsync("refreshed", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            Assert.Equal("new tokens", await ResultAsync(page, "refreshed"));
        });
        var refreshToken = await page.Locator("#refresh-token").TextContentAsync();
        Assert.False(string.IsNullOrEmpty(refreshToken));
        Assert.NotEqual(firstRefreshToken, refreshToken);

        await session.StepAsync("signed-out", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(spa.PostLogoutRedirectUri.ToString(), StringComparison.Ordinal), new() { Timeout = 10_000 });
            Assert.Equal("signed out", await ResultAsync(page, "signed-out"));
            await Assertions.Expect(page.Locator("#user")).ToBeEmptyAsync();
        });
        // The app revoked its refresh token from the browser before leaving (revokeTokensOnSignout).
        var refresh = await identity.RefreshAsync(refreshToken!, spa.ClientId);
        Assert.Equal("invalid_grant", (await refresh.JsonAsync()).GetProperty("error").GetString());
        // And the session at the identity server ended: signing in again asks for the password.
        await session.StepAsync("session-ended", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(identity.BaseAddress.ToString(), StringComparison.Ordinal), new() { Timeout = 10_000 });
            await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        });
    }

    /// <summary>Waits until the app wrote the step's result or an error, and fails with the error if there is one.</summary>
    private static async Task<string> ResultAsync(IPage page, string id)
    {
        await page.WaitForFunctionAsync(
            "id => document.getElementById(id).textContent !== '' || document.getElementById('error').textContent !== ''", id,
            new() { Timeout = 10_000 });
        Assert.Equal("", await page.Locator("#error").TextContentAsync());
        return (await page.Locator("#" + id).TextContentAsync())!;
    }
}
