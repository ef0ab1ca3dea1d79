using System.Net;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.AdminConsole;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Language;

/// <summary>The admin console speaks as the sign-in pages do: Spanish by default, Accept-Language chooses, the switch remembers.</summary>
public sealed class ConsoleLanguageTests(RuumServerFixture server) : IClassFixture<RuumServerFixture>
{
    [Fact]
    public async Task ConsolePage_UnknownLanguage_IsSpanish()
    {
        var flow = await SignedInAdminAsync();

        var html = await GetAsync(flow, "admin/roles", "xx");

        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Catálogo de roles</h1>", html, StringComparison.Ordinal);
        Assert.Contains(">Registro de auditoría</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Role catalogue", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsolePage_English_IsEnglish()
    {
        var flow = await SignedInAdminAsync();

        var html = await GetAsync(flow, "admin/roles", "en");

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Role catalogue</h1>", html, StringComparison.Ordinal);
        Assert.Contains(">Audit log</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Catálogo de roles", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_OnAConsolePage_RemembersSpanishOnTheNextConsolePages()
    {
        var flow = await SignedInAdminAsync();
        var english = await GetAsync(flow, "admin/companies", "en");
        Assert.Contains("<h1>Companies</h1>", english, StringComparison.Ordinal);
        Assert.Contains("href=\"/language/es?returnUrl=%2Fadmin%2Fcompanies\"", english, StringComparison.Ordinal);

        var switched = await flow.Browser.GetAsync("language/es?returnUrl=%2Fadmin%2Fcompanies");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/admin/companies", switched.Headers.Location!.OriginalString);

        // The browser still prefers English; the remembered choice wins, on this page and the next.
        var back = await GetAsync(flow, "admin/companies", "en");
        Assert.Contains("<h1>Empresas</h1>", back, StringComparison.Ordinal);
        var next = await GetAsync(flow, "admin/scopes", "en");
        Assert.Contains("<html lang=\"es\">", next, StringComparison.Ordinal);
        Assert.Contains("<h1>Ámbitos</h1>", next, StringComparison.Ordinal);
    }

    /// <summary>The account centre's recent activity reads the activity page's sentences.</summary>
    [Fact]
    public async Task AccountCentre_RecentActivityInSpanish_IsSpanish()
    {
        var flow = await SignedInAdminAsync();

        var html = await GetAsync(flow, "account", "es");

        Assert.Contains("· Inicio de sesión</li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("· Signed in</li>", html, StringComparison.Ordinal);
    }

    private async Task<AuthorizationCodeFlow> SignedInAdminAsync()
    {
        var admin = await server.Server.CreatePlatformAdminAsync();
        return await server.Server.SignedInAsync(admin.Email);
    }

    private static async Task<string> GetAsync(AuthorizationCodeFlow flow, string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept-Language", language);
        var response = await flow.Browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
