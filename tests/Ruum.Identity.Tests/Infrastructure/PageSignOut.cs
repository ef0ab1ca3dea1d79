using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ruum.Identity.Tests.Infrastructure;

public static partial class PageSignOut
{
    /// <summary>
    /// Signs out through our page and waits for the signed-out page's heading. Not <c>WaitForURLAsync</c>: it also
    /// waits for the load event, which once never came in CI although the page had rendered.
    /// </summary>
    public static async Task SignOutAsync(this IPage page, Uri baseAddress)
    {
        await page.GotoAsync(new Uri(baseAddress, "account/logout").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(LoggedOut());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
    }

    [GeneratedRegex("/account/logged-out$")]
    private static partial Regex LoggedOut();
}
