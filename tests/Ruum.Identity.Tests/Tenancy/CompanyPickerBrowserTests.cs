using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tenancy;

public sealed class CompanyPickerBrowserTests(TenancyFixture fixture, BrowserFixture browser)
    : IClassFixture<TenancyFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CompanyPicker_UserOfTwoCompanies_PicksOneByLabelAndReturnsACode()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyAdmin, fixture.Acme, fixture.Beta);
        var authorize = new Uri(fixture.Server.BaseAddress, new AuthorizationCodeFlow(fixture.Server).AuthorizeUrl()).ToString();
        await using var session = await browser.NewSessionAsync(nameof(CompanyPicker_UserOfTwoCompanies_PicksOneByLabelAndReturnsACode));
        var page = session.Page;
        await session.StepAsync("picker", async () =>
        {
            await page.GotoAsync(authorize);
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync(TestData.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.EnterEmailedCodeAsync(fixture.Server, user.Email);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a company" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Company" })).ToBeVisibleAsync();
        });
        // Nothing listens at the client's callback, and a route does not see a redirect's target (it raced Chromium's
        // error page): the browser's request to the callback is what counts.
        IRequest? callback = null;
        await session.StepAsync("picked", async () =>
        {
            await page.GetByLabel("Beta Obras").CheckAsync();
            callback = await page.RunAndWaitForRequestAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync(),
                request => request.Url.StartsWith(TestData.SpaRedirect, StringComparison.Ordinal));
        });

        Assert.True(QueryHelpers.ParseQuery(new Uri(callback!.Url).Query).ContainsKey("code"), callback.Url);
    }
}
