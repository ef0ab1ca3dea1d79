using Microsoft.Playwright;

namespace Ruum.Identity.Tests.Infrastructure;

public static class PageSignOut
{
    /// <summary>Signs out through our page, then waits for the signed-out page's URL and heading.</summary>
    public static async Task SignOutAsync(this IPage page, Uri baseAddress)
    {
        await page.GotoAsync(new Uri(baseAddress, "account/logout").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.ExpectPathAsync("/account/logged-out");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
    }
}
