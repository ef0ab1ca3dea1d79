using System.Net;
using System.Text.RegularExpressions;
using Ruum.Identity.Tests.Hosting;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Otp;

/// <summary>
/// The second step in Production behind the HTTPS proxy: the cookies it sets are <c>__Host-</c>, Secure, HttpOnly and
/// SameSite=Lax. A browser keeps Secure cookies for HTTPS only, so this test carries them itself.
/// </summary>
public sealed partial class SecureCookieTests
{
    [Fact]
    public async Task SecondStep_InProduction_SetsHostPrefixedSecureHttpOnlyLaxCookies()
    {
        await using var smtp = new FakeSmtpServer();
        await using var server = await ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Email:SmtpHost"] = "127.0.0.1",
            ["Ruum:Email:SmtpPort"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ruum:Email:SmtpTls"] = "None",
        });
        var user = await server.CreateUserAsync();
        var browser = new CookieCarrier(server.CreateProxiedClient());

        var login = await browser.GetAsync("account/login");
        var password = await browser.PostAsync("account/login", new()
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestData.Password,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await login.Content.ReadAsStringAsync()),
        });
        Assert.Equal("/account/otp", password.Headers.Location!.OriginalString);
        AssertHostCookie(password, "__Host-ruum.second-factor");

        var otp = await browser.GetAsync("account/otp");
        var code = CodeInMail().Match(Assert.Single(smtp.Messages)).Groups[1].Value;
        var verified = await browser.PostAsync("account/otp", new()
        {
            ["Input.Code"] = code,
            ["Input.TrustDevice"] = "true",
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await otp.Content.ReadAsStringAsync()),
        });

        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        var device = AssertHostCookie(verified, "__Host-ruum.device");
        Assert.Contains("expires=", device, StringComparison.OrdinalIgnoreCase);
        AssertHostCookie(verified, "__Host-ruum.session");
    }

    private static string AssertHostCookie(HttpResponseMessage response, string name)
    {
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name + "=", StringComparison.Ordinal));
        foreach (var attribute in new[] { "path=/", "secure", "httponly", "samesite=lax" })
        {
            Assert.Contains(attribute, cookie, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        return cookie;
    }

    [GeneratedRegex(@"sign-in code is (\d{6})")]
    private static partial Regex CodeInMail();

    /// <summary>Keeps cookies by name and sends them back on every request, whatever their Secure flag.</summary>
    private sealed class CookieCarrier(HttpClient client)
    {
        private readonly Dictionary<string, string> _cookies = [];

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
            }
            var response = await client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                _cookies[pair[..equals]] = pair[(equals + 1)..];
            }
            return response;
        }
    }
}
