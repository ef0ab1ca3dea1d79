using System.Net;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Login;

/// <summary>The "confirm it's you" page as a browser without JavaScript walks it.</summary>
internal static class Reauthentication
{
    public const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>Posts the password on the re-authentication page <paramref name="redirect"/> points to; returns the response to that post.</summary>
    public static async Task<HttpResponseMessage> PostPasswordAsync(this AuthorizationCodeFlow flow, HttpResponseMessage redirect, string password)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/reauthenticate?returnUrl=", location, StringComparison.Ordinal);
        var page = await flow.Browser.GetAsync(location.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        return await flow.Browser.PostAsync(location.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Password"] = password,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(html),
        }));
    }

    /// <summary>Password, then the second factor (mail or app) on the code page; returns the redirect back.</summary>
    public static async Task<HttpResponseMessage> ReauthenticateAsync(this AuthorizationCodeFlow flow, HttpResponseMessage redirect, string email,
        string password = TestData.Password)
    {
        var afterPassword = await flow.PostPasswordAsync(redirect, password);
        Assert.Equal("/account/otp", afterPassword.Headers.Location?.OriginalString);
        var otp = await flow.Browser.GetAsync("account/otp");
        return await flow.PostOtpAsync(otp, await flow.SecondFactorCodeAsync(email));
    }

    /// <summary>Drops the session cookie only (the trusted-device cookie stays), as after closing the browser.</summary>
    public static void ForgetSession(this AuthorizationCodeFlow flow)
    {
        foreach (var cookie in flow.Cookies.GetAllCookies().Where(c => c.Name == "ruum.session"))
        {
            cookie.Expired = true;
        }
    }

    /// <summary>A browser that trusted itself at a sign-in with the emailed code, then lost its session.</summary>
    public static async Task<AuthorizationCodeFlow> TrustedBrowserAsync(this RuumServer server, string email)
    {
        var flow = new AuthorizationCodeFlow(server) { TrustDevice = true };
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(ChromeOnWindows);
        await flow.GetCodeAsync(email, TestData.Password);
        flow.TrustDevice = false;
        flow.ForgetSession();
        return flow;
    }
}
