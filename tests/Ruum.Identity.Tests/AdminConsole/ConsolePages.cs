using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.AdminConsole;

/// <summary>The admin console as a person uses it (Chromium) and as a form-posting browser without script (HTTP).</summary>
internal static class ConsolePages
{
    /// <summary>Signs in on the normal sign-in page with the emailed code, landing on <paramref name="path"/>.</summary>
    public static async Task SignInToConsoleAsync(this IPage page, RuumServer server, string email, string path = "/admin")
    {
        await page.GotoAsync(new Uri(server.BaseAddress, "account/login?returnUrl=" + Uri.EscapeDataString(path)).ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.EnterEmailedCodeAsync(server, email);
        await page.ExpectPathAsync(path);
    }

    public static Task<IResponse?> OpenAsync(this IPage page, RuumServer server, string path) =>
        page.GotoAsync(new Uri(server.BaseAddress, path.TrimStart('/')).ToString());

    /// <summary>A browser-like HTTP client signed in with password and emailed code (a session with mfa).</summary>
    public static async Task<AuthorizationCodeFlow> SignedInAsync(this RuumServer server, string email)
    {
        var flow = new AuthorizationCodeFlow(server);
        var response = await flow.FollowAsync(await flow.SignInAsync(email, TestData.Password));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return flow;
    }

    /// <summary>Opens <paramref name="path"/> and posts its form with the page's anti-forgery token and <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this AuthorizationCodeFlow flow, string path, IDictionary<string, string> fields,
        bool withToken = true)
    {
        var page = await flow.Browser.GetAsync(path.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = new Dictionary<string, string>(fields);
        if (withToken)
        {
            form["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        }
        return await flow.Browser.PostAsync(path.TrimStart('/'), new FormUrlEncodedContent(form));
    }

    public static async Task<string> CreateProjectAsync(this RuumServer server, Guid companyId, string name)
    {
        Project? project = null;
        await server.WithServicesAsync(async s => project = await s.GetRequiredService<TenancyDirectory>().EnsureProjectAsync(companyId, name));
        return project!.Id;
    }
}
