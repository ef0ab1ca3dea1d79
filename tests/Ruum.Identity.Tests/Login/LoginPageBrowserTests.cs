using Microsoft.Playwright;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Login;

public sealed class LoginPageBrowserTests(RuumServerFixture server, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task LoginPage_WrongPassword_ShowsOneMessageTiedToTheForm()
    {
        var user = await server.Server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(LoginPage_WrongPassword_ShowsOneMessageTiedToTheForm));
        var page = session.Page;

        await session.StepAsync("login-page", async () =>
        {
            await page.GotoAsync(new Uri(server.Server.BaseAddress, "account/login").ToString());
            Assert.Equal("username", await page.GetAttributeAsync("#Input_Email", "autocomplete"));
            Assert.Equal("current-password", await page.GetAttributeAsync("#Input_Password", "autocomplete"));
            Assert.Equal("Email", (await page.GetByLabel("Email").GetAttributeAsync("name")) is "Input.Email" ? "Email" : "missing");
        });
        await session.StepAsync("wrong-password", async () =>
        {
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync("not-the-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Email or password is incorrect.");
        });
    }

    [Fact]
    public async Task LoginPage_RightPassword_SignsInAndReturnsHomeToTheAccountCentre()
    {
        var user = await server.Server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(LoginPage_RightPassword_SignsInAndReturnsHomeToTheAccountCentre));
        var page = session.Page;

        await session.StepAsync("signed-in", async () =>
        {
            await page.GotoAsync(new Uri(server.Server.BaseAddress, "account/login?returnUrl=%2F").ToString());
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync(TestData.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.EnterEmailedCodeAsync(server.Server, user.Email);
            // Home is the account centre once signed in.
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(server.Server.BaseAddress, "/account").ToString());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account", Level = 1 })).ToBeVisibleAsync();
        });
        var cookies = await session.Context.CookiesAsync();
        var sessionCookie = Assert.Single(cookies, c => c.Name.EndsWith("ruum.session", StringComparison.Ordinal));
        Assert.True(sessionCookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, sessionCookie.SameSite);
    }
}
