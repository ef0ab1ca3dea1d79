using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Accessibility;

/// <summary>
/// axe-core (WCAG 2.0-2.2 A and AA rules) on every page of the sign-in and account areas, in Spanish, the default.
/// Any serious or critical violation fails. Each page's screenshot and axe's findings are kept under
/// bin/…/screenshots (see <see cref="BrowserSession.ScreenshotFolder"/>).
/// </summary>
public sealed partial class AccessibilityBrowserTests(RuumServerFixture server, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    private readonly List<string> _failures = [];

    [Fact]
    public async Task EveryAccountPage_Axe_HasNoSeriousOrCriticalViolation()
    {
        var user = await server.Server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync(nameof(EveryAccountPage_Axe_HasNoSeriousOrCriticalViolation), "es-ES");
        try
        {
            await VisitEveryPageAsync(session, user);
        }
        catch (Exception)
        {
            await session.ScreenshotAsync("FAILED");
            throw;
        }
        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
    }

    private async Task VisitEveryPageAsync(BrowserSession session, Ruum.Identity.Features.Users.User user)
    {
        var page = session.Page;
        string Url(string path) => new Uri(server.Server.BaseAddress, path).ToString();

        await page.GotoAsync(Url("account/login"));
        await CheckAsync(session, "login");
        await SubmitAsync(page, new() { ["#Input_Email"] = user.Email, ["#Input_Password"] = "not-the-password" });
        await CheckAsync(session, "login-failed");
        // A wrong password delays the next attempt (Features/Lockout); the test's clock only moves when told.
        server.Server.Clock.Advance(TimeSpan.FromMinutes(1));

        await page.GotoAsync(Url("account/forgot-password"));
        await CheckAsync(session, "forgot-password");
        await SubmitAsync(page, new() { ["#Input_Email"] = "" });
        await CheckAsync(session, "forgot-password-invalid");
        await SubmitAsync(page, new() { ["#Input_Email"] = user.Email });
        await CheckAsync(session, "forgot-password-sent");
        await page.GotoAsync(await ResetLinkAsync(user.Email));
        await CheckAsync(session, "reset-password");
        await page.GotoAsync(Url("account/reset-password?token=nonsense"));
        await CheckAsync(session, "reset-password-bad-link");

        await page.GotoAsync(Url("account/login"));
        await SubmitAsync(page, new() { ["#Input_Email"] = user.Email, ["#Input_Password"] = TestData.Password });
        await page.WaitForURLAsync(Url("account/otp"));
        await CheckAsync(session, "code");
        await SubmitAsync(page, new() { ["#Input_Code"] = "12" });
        await CheckAsync(session, "code-invalid");
        await SubmitAsync(page, new() { ["#Input_Code"] = server.Server.LatestCode(user.Email) });
        // The home page sends a signed-in user on to the account centre.
        await page.WaitForURLAsync(Url("account"));
        await CheckAsync(session, "account");

        foreach (var path in new[] { "activity", "sessions", "apps", "devices", "password", "authenticator" })
        {
            await page.GotoAsync(Url("account/" + path));
            await CheckAsync(session, path);
        }
        await page.GotoAsync(Url("account/password"));
        await SubmitAsync(page, new() { ["#Input_CurrentPassword"] = TestData.Password, ["#Input_NewPassword"] = "short", ["#Input_ConfirmPassword"] = "short" });
        await CheckAsync(session, "password-invalid");

        await page.GotoAsync(Url("account/authenticator"));
        var secret = await page.Locator("#secret-key").InnerTextAsync();
        await SubmitAsync(page, new() { ["#Code"] = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(server.Server.Clock.GetUtcNow().UtcDateTime) });
        await Assertions.Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();
        await CheckAsync(session, "recovery-codes");
        await page.GotoAsync(Url("account/authenticator"));
        await CheckAsync(session, "authenticator-enabled");

        var clientId = await server.Server.CreatePublicClientAsync("https://partner.example/callback", thirdParty: true);
        var pkce = Pkce.Create();
        await page.GotoAsync(Url($"connect/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString("https://partner.example/callback")}"
            + $"&response_type=code&scope=openid%20profile%20email&state=s&code_challenge={pkce.Challenge}&code_challenge_method=S256"));
        await Assertions.Expect(page).ToHaveURLAsync(ConsentPage());
        await CheckAsync(session, "consent");

        await page.GotoAsync(Url("account/logout"));
        await CheckAsync(session, "logout");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(Url("account/logged-out"));
        await CheckAsync(session, "logged-out");

        await page.GotoAsync(Url("account/login"));
        await SubmitAsync(page, new() { ["#Input_Email"] = user.Email, ["#Input_Password"] = TestData.Password });
        await page.WaitForURLAsync(Url("account/otp"));
        await CheckAsync(session, "code-authenticator");
        await page.Locator("#use-recovery").ClickAsync();
        await page.WaitForURLAsync(Url("account/otp/recovery"));
        await CheckAsync(session, "recovery-code");

        await page.GotoAsync(Url("account/no-such-page"));
        await CheckAsync(session, "error-404");
        await page.GotoAsync(Url("connect/authorize?client_id=nobody&response_type=code"));
        await CheckAsync(session, "error-bad-request");
    }

    /// <summary>Fills the fields and submits the form holding the first of them.</summary>
    private static async Task SubmitAsync(IPage page, Dictionary<string, string> fields)
    {
        foreach (var (selector, value) in fields)
        {
            await page.Locator(selector).FillAsync(value);
        }
        await page.Locator($"form:has({fields.Keys.First()}) button[type=submit]:not(.secondary)").First.ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    private Task CheckAsync(BrowserSession session, string step) => Axe.CheckAsync(session, step, _failures);

    private async Task<string> ResetLinkAsync(string email)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (server.Server.MessagesTo(email).Select(m => ResetLink().Match(m.TextBody ?? "")).FirstOrDefault(m => m.Success) is { } link)
            {
                return link.Value;
            }
            await Task.Delay(20);
        }
        throw new InvalidOperationException("No reset link mail to " + email);
    }

    [GeneratedRegex(@"http\S+/account/reset-password\?token=\S+")]
    private static partial Regex ResetLink();

    [GeneratedRegex(@"/account/consent")]
    private static partial Regex ConsentPage();
}
