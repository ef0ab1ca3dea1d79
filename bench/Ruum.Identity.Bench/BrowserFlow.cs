using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ruum.Identity.Bench;

/// <summary>
/// One browser without JavaScript: cookies, the real login form (on a trusted device, so no second step once
/// <see cref="TrustDeviceAsync"/> has run), then the code + PKCE exchange.
/// </summary>
internal sealed partial class BrowserFlow : IDisposable
{
    private const string ClientId = "dev-spa";
    private const string RedirectUri = "http://localhost:5173/callback";
    private const string DeviceCookie = "ruum.device";

    private readonly CookieContainer _cookies = new();
    private readonly Uri _server;
    private readonly HttpClient _http;

    /// <param name="deviceCookieFile">The trusted-device cookie written by <see cref="TrustDeviceAsync"/>, if any.</param>
    public BrowserFlow(Uri server, string? deviceCookieFile = null)
    {
        _server = server;
        _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = _cookies }) { BaseAddress = server };
        if (deviceCookieFile is not null)
        {
            var parts = File.ReadAllText(deviceCookieFile).Trim().Split('=', 2);
            _cookies.Add(server, new Cookie(parts[0], parts[1], "/"));
        }
    }

    /// <summary>Signs in with the password and an authenticator code, ticks "trust this device", saves the device cookie.</summary>
    public async Task TrustDeviceAsync(string email, string password, string totpSecret, string deviceCookieFile)
    {
        var page = await _http.GetAsync(new Uri("account/login", UriKind.Relative));
        var toSecondStep = await SubmitLoginAsync(page, email, password, returnUrl: "/");
        var otpPage = await ExpectAsync(await _http.GetAsync(toSecondStep.Headers.Location), HttpStatusCode.OK);
        var html = await otpPage.Content.ReadAsStringAsync();
        await ExpectAsync(await _http.PostAsync(otpPage.RequestMessage!.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Code"] = Totp.Now(totpSecret),
            ["Input.TrustDevice"] = "true",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(html).Groups[1].Value,
        })), HttpStatusCode.Found);
        var device = _cookies.GetCookies(_server).FirstOrDefault(c => c.Name.EndsWith(DeviceCookie, StringComparison.Ordinal))
            ?? throw new FlowException(0, "no trusted-device cookie after the second step");
        await File.WriteAllTextAsync(deviceCookieFile, device.Name + "=" + device.Value);
    }

    /// <summary>The login step only: GET the form, POST it. Throws <see cref="FlowException"/> with the status on refusal.</summary>
    public async Task SignInAsync(string email, string password)
    {
        var page = await _http.GetAsync(new Uri("account/login", UriKind.Relative));
        await SubmitLoginAsync(page, email, password, returnUrl: "/");
    }

    /// <summary>authorize → login form → authorize → code → token, as a first visit would.</summary>
    public async Task<(string AccessToken, string RefreshToken)> LoginThroughAuthorizeAsync(string email, string password)
    {
        var (url, verifier) = AuthorizeUrl();
        var toLogin = await ExpectAsync(await _http.GetAsync(url), HttpStatusCode.Found);
        var page = await ExpectAsync(await _http.GetAsync(toLogin.Headers.Location), HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value);
        var back = await SubmitLoginAsync(page, email, password, returnUrl, html);
        return await RedeemAsync(await _http.GetAsync(back.Headers.Location), verifier);
    }

    /// <summary>With a session already: authorize → code → token.</summary>
    public async Task<(string AccessToken, string RefreshToken)> AuthorizeAndRedeemAsync()
    {
        var (url, verifier) = AuthorizeUrl();
        return await RedeemAsync(await _http.GetAsync(url), verifier);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SubmitLoginAsync(HttpResponseMessage page, string email, string password, string returnUrl, string? html = null)
    {
        html ??= await page.Content.ReadAsStringAsync();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = AntiforgeryField().Match(html).Groups[1].Value,
        });
        return await ExpectAsync(await _http.PostAsync(page.RequestMessage!.RequestUri, form), HttpStatusCode.Found);
    }

    private async Task<(string, string)> RedeemAsync(HttpResponseMessage redirect, string verifier)
    {
        await ExpectAsync(redirect, HttpStatusCode.Found);
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query);
        var code = query["code"] ?? throw new FlowException(0, "no code in " + redirect.Headers.Location);
        using var response = await ExpectAsync(await _http.PostAsync(new Uri("connect/token", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = ClientId,
                ["redirect_uri"] = RedirectUri,
                ["code"] = code,
                ["code_verifier"] = verifier,
            })), HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("access_token").GetString()!, json.RootElement.GetProperty("refresh_token").GetString()!);
    }

    private static (Uri Url, string Verifier) AuthorizeUrl()
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid offline_access ruum.api",
            ["state"] = Guid.NewGuid().ToString("N"),
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value)));
        return (new Uri("connect/authorize?" + query, UriKind.Relative), verifier);
    }

    private static async Task<HttpResponseMessage> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new FlowException((int)response.StatusCode, body.Length > 200 ? body[..200] : body)
            {
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}

internal sealed class FlowException(int status, string detail) : Exception($"HTTP {status}: {detail}")
{
    public int Status { get; } = status;

    public TimeSpan? RetryAfter { get; init; }
}
