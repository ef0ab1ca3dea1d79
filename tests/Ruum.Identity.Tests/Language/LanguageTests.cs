using System.Net;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Language;

/// <summary>Spanish by default, English on request: Accept-Language chooses, the switch's cookie remembers.</summary>
public sealed class LanguageTests(RuumServerFixture server) : IClassFixture<RuumServerFixture>
{
    [Theory]
    [InlineData(null, "es")]
    [InlineData("xx", "es")]
    [InlineData("es-ES,es;q=0.9", "es")]
    [InlineData("en", "en")]
    [InlineData("en-GB,en;q=0.9,es;q=0.5", "en")]
    [InlineData("de-DE,en;q=0.8", "en")]
    public async Task LoginPage_AcceptLanguage_ChoosesTheLanguage(string? acceptLanguage, string expected)
    {
        using var client = server.Server.CreateBrowserLikeClient(language: acceptLanguage);

        var html = await client.GetStringAsync("account/login");

        Assert.Contains($"<html lang=\"{expected}\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_UnknownLanguage_IsSpanish()
    {
        using var client = server.Server.CreateBrowserLikeClient(language: "xx");

        var html = await client.GetStringAsync("account/login");

        Assert.Contains("<h1>Iniciar sesión</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1>Sign in</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_English_SetsTheCookieAndTheNextPageIsEnglish()
    {
        using var client = server.Server.CreateBrowserLikeClient(language: "es");

        var switched = await client.GetAsync("language/en?returnUrl=%2Faccount%2Flogin%3FreturnUrl%3D%252F");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2F", switched.Headers.Location!.OriginalString);
        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ruum.language=", StringComparison.Ordinal));
        foreach (var attribute in new[] { "path=/", "httponly", "samesite=lax", "max-age=" })
        {
            Assert.Contains(attribute, cookie, StringComparison.OrdinalIgnoreCase);
        }
        var html = await client.GetStringAsync(switched.Headers.Location);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Sign in</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_Spanish_WinsOverAcceptLanguage()
    {
        using var client = server.Server.CreateBrowserLikeClient(language: "en");

        var switched = await client.GetAsync("language/es?returnUrl=%2Faccount%2Fforgot-password");
        var html = await client.GetStringAsync(switched.Headers.Location);

        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    public async Task LanguageSwitch_ReturnUrlToAnotherSite_GoesToTheStartPage(string returnUrl)
    {
        using var client = server.Server.CreateBrowserLikeClient();

        var switched = await client.GetAsync("language/en?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/", switched.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LanguageSwitch_UnknownLanguage_NotFoundAndNoCookie()
    {
        using var client = server.Server.CreateBrowserLikeClient();

        var switched = await client.GetAsync("language/xx?returnUrl=%2F");

        Assert.Equal(HttpStatusCode.NotFound, switched.StatusCode);
        Assert.False(switched.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task LanguageSwitch_InProduction_IsAHostPrefixedSecureCookie()
    {
        await using var production = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Session:SecureCookies"] = "true" });
        using var client = production.CreateBrowserLikeClient();

        var switched = await client.GetAsync("language/es?returnUrl=%2F");

        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__Host-ruum.language=", cookie, StringComparison.Ordinal);
        foreach (var attribute in new[] { "path=/", "secure", "httponly", "samesite=lax" })
        {
            Assert.Contains(attribute, cookie, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Each feature folder's resources resolve: Features/X/Page.cshtml reads Features/X/Page.es.resx.</summary>
    [Theory]
    [InlineData("", "<h1 translate=\"no\">Ruum Identity</h1>", "Iniciar sesión")]
    [InlineData("account/login", "<h1>Iniciar sesión</h1>", "¿Has olvidado tu contraseña?")]
    [InlineData("account/forgot-password", "<h1>Contraseña olvidada</h1>", "Enviarme un enlace")]
    [InlineData("account/logged-out", "<h1>Has cerrado la sesión</h1>", "Volver a iniciar sesión")]
    [InlineData("account/reset-password?token=nonsense", "<h1>Enlace para restablecer la contraseña</h1>", "Este enlace no es válido.")]
    [InlineData("account/no-such-page", "<h1>Página no encontrada</h1>", "Ir a la página de inicio")]
    public async Task Page_NoAcceptLanguage_IsSpanish(string path, string heading, string text)
    {
        using var client = server.Server.CreateBrowserLikeClient(language: null);

        var response = await client.GetAsync(path);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Contains(heading, html, StringComparison.Ordinal);
        Assert.Contains(text, html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Idioma\"", html, StringComparison.Ordinal);
    }

    /// <summary>Data-annotation messages come from Features/Shared/FormMessages.es.resx.</summary>
    [Fact]
    public async Task LoginForm_EmptyInSpanish_ExplainsEachFieldInSpanish()
    {
        using var client = server.Server.CreateBrowserLikeClient(language: "es");
        var form = await client.GetStringAsync("account/login");

        var response = await client.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "",
            ["Input.Password"] = "",
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(form),
        }));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Introduce tu dirección de correo electrónico.", html, StringComparison.Ordinal);
        Assert.Contains("Introduce tu contraseña.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Enter your password.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginForm_WrongPasswordInSpanish_SaysSoInSpanish()
    {
        var user = await server.Server.CreateUserAsync();
        using var client = server.Server.CreateBrowserLikeClient(language: "es");
        var form = await client.GetStringAsync("account/login");

        var response = await client.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = "not-the-password",
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(form),
        }));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("El correo electrónico o la contraseña no son correctos.", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }
}
