using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Sessions;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>A sign-in in headless Chromium across two instances on one database: pages from one, every form post to the other.</summary>
public sealed class SeveralInstancesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task BrowserSignIn_FormsPostedToAnotherInstanceThanServedThem_SignsIn()
    {
        await using var first = await RuumServer.StartAsync();
        await using var second = RuumServer.StartSecondInstance(first);
        var user = await first.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(BrowserSignIn_FormsPostedToAnotherInstanceThanServedThem_SignsIn));
        var page = session.Page;
        var firstAddress = first.BaseAddress.ToString();
        var secondAddress = second.BaseAddress.ToString();
        var posted = new List<string>();
        // As a load balancer might: every page load goes to the first instance, every form post to the second, whichever
        // the browser addressed (a redirect from the second leads back to it). Cookies ignore the port.
        await page.RouteAsync(new Regex("^(" + Regex.Escape(firstAddress) + "|" + Regex.Escape(secondAddress) + ")"), async route =>
        {
            var url = route.Request.Url;
            var path = url[(url.StartsWith(firstAddress, StringComparison.Ordinal) ? firstAddress : secondAddress).Length..];
            if (route.Request.Method == "POST")
            {
                posted.Add(path);
                await route.ContinueAsync(new() { Url = secondAddress + path });
            }
            else
            {
                await route.ContinueAsync(new() { Url = firstAddress + path });
            }
        });

        await session.StepAsync("password-posted-to-the-second", async () =>
        {
            await page.GotoAsync(new Uri(first.BaseAddress, "account/login?returnUrl=" + Uri.EscapeDataString("/account/devices")).ToString());
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync(TestData.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        });
        // The second instance mails where the first does (same settings).
        await session.StepAsync("code-posted-to-the-second", async () =>
        {
            await page.EnterEmailedCodeAsync(first, user.Email);
            await page.ExpectPathAsync("/account/devices");
        });

        Assert.Contains(posted, path => path.StartsWith("account/login", StringComparison.Ordinal));
        Assert.Contains(posted, path => path.StartsWith("account/otp", StringComparison.Ordinal));
        Assert.Single(await first.SessionsOfAsync(user.Id));
    }
}
