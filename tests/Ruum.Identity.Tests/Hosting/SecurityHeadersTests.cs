using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed partial class SecurityHeadersTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    public static TheoryData<string, string> EveryKindOfResponse => new()
    {
        { "GET", "account/login" },
        { "GET", ".well-known/openid-configuration" },
        { "GET", ".well-known/jwks" },
        { "POST", "connect/token" },
        { "GET", "connect/userinfo" },
        { "GET", ".well-known/security.txt" },
        { "GET", "health/ready" },
        { "GET", "css/site.css" },
        { "GET", "no/such/page" },
        { "GET", "account/no-such-page" },
    };

    [Theory]
    [MemberData(nameof(EveryKindOfResponse))]
    public async Task Response_OfEveryKind_CarriesSecurityHeaders(string method, string path)
    {
        var response = await SendAsync(fixture.Server.CreatePlainClient(), method, path);

        AssertSecurityHeaders(response);
    }

    [Theory]
    [MemberData(nameof(EveryKindOfResponse))]
    public async Task Response_OfEveryKindInProduction_CarriesSecurityHeadersAndHsts(string method, string path)
    {
        await using var server = await ProductionServer.StartAsync();

        var response = await SendAsync(server.CreateProxiedClient(), method, path);

        AssertSecurityHeaders(response);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"), path);
    }

    [Fact]
    public async Task Cookies_InProduction_AreHostPrefixedSecureHttpOnlyAndSameSite()
    {
        await using var server = await ProductionServer.StartAsync();

        var response = await server.CreateProxiedClient().GetAsync("account/login");

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie =>
        {
            Assert.StartsWith("__Host-", cookie, StringComparison.Ordinal);
            Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; samesite=", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task FormPostResponse_InlineScript_IsAllowedByItsHashOnly()
    {
        var server = fixture.Server;
        var user = await server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(server);
        var loginPage = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(
            new Dictionary<string, string?> { ["response_mode"] = "form_post" })));

        var formPost = await flow.FollowAsync(await flow.SignInWithPageAsync(loginPage, user.Email, TestData.Password));

        Assert.True(HttpStatusCode.OK == formPost.StatusCode, await formPost.Content.ReadAsStringAsync());
        var script = InlineScript().Match(await formPost.Content.ReadAsStringAsync());
        Assert.True(script.Success, "The form_post page has no inline script.");
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value)));
        Assert.Contains($"'sha256-{hash}'", string.Join(";", formPost.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            // A token error: an unknown client.
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "no-such-client",
                ["client_secret"] = "wrong",
            });
        }
        var response = await client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        return response;
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
