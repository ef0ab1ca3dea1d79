using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Language;

/// <summary>The same sign-in (password, then the emailed code) in real Chromium, in each language the browser asks for.</summary>
public sealed partial class SignInLanguageBrowserTests(RuumServerFixture server, BrowserFixture browser)
    : IClassFixture<RuumServerFixture>, IClassFixture<BrowserFixture>
{
    public sealed record Words(string Locale, string SignIn, string Email, string Password, string EnterCode, string Code, string Verify,
        string MailSubject, string Activity, string Lang);

    public static TheoryData<string> Locales => ["es-ES", "en-GB"];

    private static Words For(string locale) => locale == "es-ES"
        ? new(locale, "Iniciar sesión", "Correo electrónico", "Contraseña", "Introduce tu código", "Código", "Verificar",
            "Tu código de inicio de sesión de Ruum", "Actividad reciente", "es")
        : new(locale, "Sign in", "Email", "Password", "Enter your code", "Code", "Verify",
            "Your Ruum sign-in code", "Recent activity", "en");

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task SignIn_PasswordAndEmailedCode_WorksInTheBrowsersLanguage(string locale)
    {
        var words = For(locale);
        var user = await server.Server.CreateUserAsync();
        await using var session = await browser.NewSessionAsync($"{nameof(SignIn_PasswordAndEmailedCode_WorksInTheBrowsersLanguage)}-{locale}", locale);
        var page = session.Page;

        await session.StepAsync("password", async () =>
        {
            await page.GotoAsync(new Uri(server.Server.BaseAddress, "account/login?returnUrl=%2Faccount%2Factivity").ToString());
            Assert.Equal(words.Lang, await page.GetAttributeAsync("html", "lang"));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = words.SignIn })).ToBeVisibleAsync();
            await page.GetByLabel(words.Email).FillAsync(user.Email);
            await page.GetByLabel(words.Password, new() { Exact = true }).FillAsync(TestData.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = words.SignIn }).ClickAsync();
        });
        await session.StepAsync("code", async () =>
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = words.EnterCode })).ToBeVisibleAsync();
            var mail = server.Server.MessagesTo(user.Email)[^1];
            Assert.Equal(words.MailSubject, mail.Subject);
            await page.GetByLabel(words.Code, new() { Exact = true }).FillAsync(server.Server.LatestCode(user.Email));
            await page.GetByRole(AriaRole.Button, new() { Name = words.Verify }).ClickAsync();
        });
        await session.StepAsync("activity", async () =>
        {
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(server.Server.BaseAddress, "account/activity").ToString());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = words.Activity })).ToBeVisibleAsync();
            // Spanish writes 7/12/2026 19:05 (day first, 24 hours), English 12/7/2026 7:05 PM.
            var when = await page.Locator("#activity time").First.InnerTextAsync();
            var today = server.Server.Clock.GetUtcNow().UtcDateTime;
            Assert.StartsWith(words.Lang == "es" ? $"{today.Day}/{today.Month}/{today.Year} " : $"{today.Month}/{today.Day}/{today.Year} ", when, StringComparison.Ordinal);
            Assert.Matches(words.Lang == "es" ? SpanishDate() : EnglishDate(), when);
        });
    }

    [GeneratedRegex(@"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}$")]
    private static partial Regex SpanishDate();

    [GeneratedRegex(@"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}\s?[AP]M$")]
    private static partial Regex EnglishDate();
}
