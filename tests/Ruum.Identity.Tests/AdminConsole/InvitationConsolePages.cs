using Microsoft.Playwright;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Onboarding;

namespace Ruum.Identity.Tests.AdminConsole;

/// <summary>The console's invitation pages and the invitee's mailed link, as a person uses them in Chromium.</summary>
internal static class InvitationConsolePages
{
    /// <summary>From the users page: Invite a person, fill the form, send; the notice names the address.</summary>
    public static async Task InviteInConsoleAsync(this IPage page, string email, string name, string role, string? project = null, string? projectRole = null)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Invite a person" }).ClickAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Company role").SelectOptionAsync(role);
        if (project is not null)
        {
            await page.GetByLabel("Project (optional)").SelectOptionAsync(new SelectOptionValue { Label = project });
            await page.GetByLabel("Project role").SelectOptionAsync(projectRole!);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Assertions.Expect(page.Locator("#invite-notice")).ToHaveTextAsync($"The invitation was mailed to {email}.");
    }

    /// <summary>Opens the newest mailed link, chooses name and password, passes the emailed code: the welcome page.</summary>
    public static async Task AcceptInvitationAsync(this IPage page, RuumServer server, string email, string name)
    {
        await page.GotoAsync(new Uri(server.BaseAddress, "account/invitation?token=" + server.InvitationToken(email)).ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accept your invitation" })).ToBeVisibleAsync();
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(InvitationPages.Password);
        await page.GetByLabel("Password again").FillAsync(InvitationPages.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.EnterEmailedCodeAsync(server, email);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to Ruum" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// The signed-in browser asks <paramref name="flow"/>'s client for a code (no new sign-in). Nothing listens at the
    /// client's callback and a route does not see a redirect's target, so the code is read from the browser's request to it.
    /// </summary>
    public static async Task<string> AuthorizationCodeAsync(this IPage page, RuumServer server, AuthorizationCodeFlow flow)
    {
        var callback = await page.RunAndWaitForRequestAsync(async () =>
        {
            try
            {
                await page.GotoAsync(new Uri(server.BaseAddress, flow.AuthorizeUrl()).ToString());
            }
            catch (PlaywrightException)
            {
                // The callback's connection is refused: expected, the request is what counts.
            }
        }, request => request.Url.StartsWith(flow.RedirectUri, StringComparison.Ordinal));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(callback.Url).Query);
        Assert.True(query.ContainsKey("code"), callback.Url);
        return query["code"].ToString();
    }
}
