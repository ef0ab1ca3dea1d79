using Microsoft.Playwright;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>The code page as a person uses it in Chromium: read the mail (or the app), type the code, submit.</summary>
public static class BrowserSecondFactor
{
    public static async Task EnterCodeAsync(this IPage page, string code, bool trustDevice = false)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
        if (trustDevice)
        {
            await page.GetByLabel("Trust this device").CheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
    }

    public static async Task EnterEmailedCodeAsync(this IPage page, RuumServer server, string email, bool trustDevice = false)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(server);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await page.EnterCodeAsync(server.LatestCode(email), trustDevice);
    }
}
