using Microsoft.Playwright;

namespace Ruum.Identity.Tests.Infrastructure;

public static class PageSignOut
{
    /// <summary>
    /// Signs out through our page. Waits for the navigation's commit, then the signed-out page's heading: not the load
    /// event, which twice never came in CI although the page had rendered.
    /// </summary>
    public static async Task SignOutAsync(this IPage page, Uri baseAddress)
    {
        await page.GotoAsync(new Uri(baseAddress, "account/logout").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/logged-out", new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
    }
}
