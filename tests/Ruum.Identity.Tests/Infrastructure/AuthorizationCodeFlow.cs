using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>
/// The authorization code + PKCE flow as a browser without JavaScript walks it: real redirects,
/// the real login form with its anti-forgery token, cookies kept between requests.
/// </summary>
public sealed partial class AuthorizationCodeFlow(RuumServer server)
{
    /// <summary>The browser's cookies; flows on several instances may share one (cookies ignore the port), like one browser behind a load balancer.</summary>
    public CookieContainer Cookies { get; init; } = new();

    public HttpClient Browser => field ??= server.CreateBrowserLikeClient(Cookies);

    public Pkce Pkce { get; } = Pkce.Create();

    public string ClientId { get; init; } = TestData.SpaClient;

    public string RedirectUri { get; init; } = TestData.SpaRedirect;

    public string Scope { get; init; } = "openid profile email offline_access ruum.api";

    /// <summary>For users with an authenticator app: the base32 secret the second step computes codes from.</summary>
    public string? AuthenticatorSecret { get; set; }

    /// <summary>Ticks "Trust this device" on the code page.</summary>
    public bool TrustDevice { get; set; }

    /// <summary>
    /// When a right password leads to the code page, enter the code at once so the sign-in helpers end signed in.
    /// Second-factor tests turn this off to stop on the code page.
    /// </summary>
    public bool PassSecondFactorAutomatically { get; set; } = true;

    public string AuthorizeUrl(IDictionary<string, string?>? extra = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = Scope,
            ["state"] = "state-" + Guid.NewGuid().ToString("N"),
            ["nonce"] = "nonce-" + Guid.NewGuid().ToString("N"),
            ["code_challenge"] = Pkce.Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                parameters.Remove(key);
            }
            else
            {
                parameters[key] = value;
            }
        }
        return QueryHelpers.AddQueryString("connect/authorize", parameters);
    }

    /// <summary>Follows redirects on this server until one leaves it (or a page is shown).</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; hops < 10 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; hops++)
        {
            var location = response.Headers.Location!;
            var absolute = location.IsAbsoluteUri ? location : new Uri(server.BaseAddress, location);
            if (absolute.Authority != server.BaseAddress.Authority)
            {
                return response;
            }
            response = await Browser.GetAsync(absolute);
        }
        return response;
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string? returnUrlPage = null)
    {
        var page = await Browser.GetAsync(returnUrlPage ?? "account/login");
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
        };
        var returnUrl = ReturnUrlField().Match(html);
        if (returnUrl.Success)
        {
            form["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl.Groups[1].Value);
        }
        var loginUrl = page.RequestMessage!.RequestUri!;
        return await AfterPasswordAsync(await Browser.PostAsync(loginUrl, new FormUrlEncodedContent(form)), email);
    }

    /// <summary>Starts at /connect/authorize, signs in on the login page, returns the code.</summary>
    public async Task<string> GetCodeAsync(string email, string password, IDictionary<string, string?>? extra = null)
    {
        var start = await FollowAsync(await Browser.GetAsync(AuthorizeUrl(extra)));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Contains("/account/login", start.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        var afterLogin = await FollowAsync(await SignInWithPageAsync(start, email, password));
        return CodeFrom(await PassSecondFactorAsync(afterLogin, email));
    }

    public async Task<HttpResponseMessage> SignInWithPageAsync(HttpResponseMessage loginPage, string email, string password)
    {
        var html = await loginPage.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
            ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value),
        };
        // To this flow's server, wherever the page came from (another instance behind the same load balancer).
        var action = loginPage.RequestMessage!.RequestUri!.PathAndQuery.TrimStart('/');
        return await AfterPasswordAsync(await Browser.PostAsync(action, new FormUrlEncodedContent(form)), email);
    }

    private async Task<HttpResponseMessage> AfterPasswordAsync(HttpResponseMessage response, string email)
    {
        if (!PassSecondFactorAutomatically || response.StatusCode != HttpStatusCode.Redirect
            || response.Headers.Location?.OriginalString != "/account/otp")
        {
            return response;
        }
        var page = await Browser.GetAsync("account/otp");
        return await PostOtpAsync(page, await SecondFactorCodeAsync(email), TrustDevice);
    }

    /// <summary>
    /// The code a person would enter now: from the app (<see cref="AuthenticatorSecret"/>, or the seeded owner's
    /// public secret) or from the newest mail.
    /// </summary>
    public async Task<string> SecondFactorCodeAsync(string email)
    {
        var secret = AuthenticatorSecret
            ?? (EmailAddress.Normalize(email) == EmailAddress.Normalize(DevelopmentSeed.OwnerEmail) ? DevelopmentSeed.OwnerAuthenticatorSecret : null);
        if (secret is null)
        {
            return server.LatestCode(email);
        }
        var now = server.Clock.GetUtcNow();
        var step = now.ToUnixTimeSeconds() / 30;
        var normalized = EmailAddress.Normalize(email);
        // A step is accepted once, so a person signing in again within 30 s waits for the next code. Tests cannot
        // wait (the fake clock also dates tokens that APIs check against real time): the server forgets the step.
        await server.WithDatabaseAsync(db => db.Set<Authenticator>()
            .Where(a => a.LastUsedTimeStep >= step && db.Set<User>().Any(u => u.Id == a.UserId && u.NormalizedEmail == normalized))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastUsedTimeStep, step - 1)));
        return new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(now.UtcDateTime);
    }

    public static bool IsOtpPage(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK && response.RequestMessage!.RequestUri!.AbsolutePath == "/account/otp";

    /// <summary>
    /// On the code page, enters the right code (from the mail folder, or computed from <see cref="AuthenticatorSecret"/>)
    /// and follows on; any other response is returned as it is (a trusted device skips the page).
    /// </summary>
    public async Task<HttpResponseMessage> PassSecondFactorAsync(HttpResponseMessage response, string email)
    {
        if (!IsOtpPage(response))
        {
            return response;
        }
        return await FollowAsync(await PostOtpAsync(response, await SecondFactorCodeAsync(email), TrustDevice));
    }

    /// <summary>Posts the code form of an OTP page as the browser would.</summary>
    public async Task<HttpResponseMessage> PostOtpAsync(HttpResponseMessage otpPage, string code, bool trustDevice = false, string? handler = null)
    {
        var html = await otpPage.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
        };
        if (trustDevice)
        {
            form["Input.TrustDevice"] = "true";
        }
        return await Browser.PostAsync("account/otp" + (handler is null ? "" : "?handler=" + handler), new FormUrlEncodedContent(form));
    }

    public string CodeFrom(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.True(query.ContainsKey("code"), "No code in " + location);
        return query["code"].ToString();
    }

    public async Task<HttpResponseMessage> RedeemAsync(string code, string? verifier = null) =>
        await server.CreatePlainClient().PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["code"] = code,
            ["code_verifier"] = verifier ?? Pkce.Verifier,
        }));

    /// <summary>The whole flow: sign in, redeem the code, return the token response.</summary>
    public async Task<JsonElement> GetTokensAsync(string email, string password, IDictionary<string, string?>? extra = null)
    {
        var response = await RedeemAsync(await GetCodeAsync(email, password, extra));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }

    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "No anti-forgery token in the page.");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("type=\"hidden\"[^>]*name=\"ReturnUrl\" value=\"([^\"]*)\"|name=\"ReturnUrl\"[^>]*value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
