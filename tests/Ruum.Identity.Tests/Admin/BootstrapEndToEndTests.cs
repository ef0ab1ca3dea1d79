using Ruum.Identity.Features.Notifications.Templates;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using MimeKit;
using Ruum.Identity.Features.Admin.Bootstrap;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Tests.Hosting;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Onboarding;

namespace Ruum.Identity.Tests.Admin;

/// <summary>Issue 25's end-to-end path on a fresh Production database: bootstrap, the API, an invited person's first token.</summary>
public sealed partial class BootstrapTests
{
    private const string AppRedirect = "https://app.ruum.test/callback";

    [Fact]
    public async Task Bootstrap_ThenClientInvitationAcceptanceAndProject_RoleInTheInvitedPersonsNextToken()
    {
        await using var smtp = new FakeSmtpServer();
        await using var server = await ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Email:SmtpHost"] = "127.0.0.1",
            ["Ruum:Email:SmtpPort"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Ruum:Email:SmtpTls"] = "None",
        });
        var (_, output) = await BootstrapAsync(server, "bootstrap", "--admin-email", AdminEmail);
        var secret = SecretLine().Match(output).Groups[1].Value;
        var admin = server.CreateProxiedClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await TokenAsync(admin, BootstrapCommand.AutomationClientId, secret, "ruum.admin"));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("api/admin/scopes", new { name = "ruum.api", resources = new List<string> { "ruum-api" } })).StatusCode);
        var service = await admin.PostJsonAsync("api/admin/clients", ClientsApiTests.Confidential("reports-service"));
        var serviceSecret = (await service.JsonAsync()).GetProperty("clientSecret").GetString()!;
        Assert.Equal("reports-service", Jwt.Payload(await TokenAsync(server.CreateProxiedClient(), "reports-service", serviceSecret, "ruum.api")).GetProperty("sub").GetString());
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("api/admin/clients", new
        {
            clientId = "field-app", displayName = "Field app", type = "public", grantTypes = new List<string> { "authorization_code" },
            scopes = new List<string> { "openid", "ruum.api" }, redirectUris = new List<string> { AppRedirect }, consent = "implicit",
        })).StatusCode);
        var company = (await (await admin.PostJsonAsync("api/admin/companies", new { name = "Obras Sur" })).JsonAsync()).GetProperty("id").GetGuid();
        var project = (await (await admin.PostJsonAsync($"api/admin/companies/{company}/projects", new { name = "Torre 3" })).JsonAsync()).GetProperty("id").GetString()!;
        var email = TestData.UniqueEmail("site-lead");

        var invited = await admin.PostJsonAsync("api/admin/users/invitations", new { email, displayName = "Site Lead", companyId = company, role = "member" });

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var userId = (await invited.JsonAsync()).GetProperty("userId").GetGuid();
        var link = InvitationLinkIn(await MailAsync(smtp, email, MailTemplates.InvitationSubject));
        Assert.StartsWith(ProductionServer.Issuer + "account/invitation?token=", link, StringComparison.Ordinal);
        var browser = new HttpClient(new ProxiedBrowser()) { BaseAddress = server.BaseAddress };
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en"); // the mail subjects below are the English ones
        var page = await browser.GetAsync(new Uri(link).PathAndQuery.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = QueryHelpers.ParseQuery(new Uri(link).Query)["token"].ToString();
        var accepted = await browser.PostAsync("account/invitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["Input.DisplayName"] = "Site Lead",
            ["Input.NewPassword"] = InvitationPages.Password,
            ["Input.ConfirmPassword"] = InvitationPages.Password,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));
        Assert.Equal("/account/otp", accepted.Headers.Location?.OriginalString);
        var otp = await browser.GetAsync("account/otp");
        var code = CodeIn(await MailAsync(smtp, email, "Your Ruum sign-in code"));
        var verified = await browser.PostAsync("account/otp", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await otp.Content.ReadAsStringAsync()),
        }));
        Assert.Equal("/account/invitation/complete", verified.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("account/invitation/complete")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutJsonAsync($"api/admin/projects/{project}/members/{userId}", new { role = "editor" })).StatusCode);

        var claims = Jwt.Payload(await NextTokenAsync(browser, server));
        Assert.Equal(userId.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(company.ToString(), claims.GetProperty("company_id").GetString());
        Assert.Equal("member", claims.GetProperty("company_role").GetString());
        Assert.Equal("editor", claims.GetProperty("project_roles").GetProperty(project).GetString());
    }

    /// <summary>The signed-in browser asks the field app for a code (no new sign-in) and redeems it.</summary>
    private static async Task<string> NextTokenAsync(HttpClient browser, RuumServer server)
    {
        var pkce = Pkce.Create();
        var url = QueryHelpers.AddQueryString("connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "field-app", ["response_type"] = "code", ["redirect_uri"] = AppRedirect, ["scope"] = "openid ruum.api",
            ["code_challenge"] = pkce.Challenge, ["code_challenge_method"] = "S256", ["state"] = "s", ["nonce"] = "n",
        });
        var response = await browser.GetAsync(url);
        for (var hops = 0; hops < 5 && response.Headers.Location is { } next && !next.OriginalString.StartsWith(AppRedirect, StringComparison.Ordinal); hops++)
        {
            response = await browser.GetAsync(next.IsAbsoluteUri ? next.PathAndQuery.TrimStart('/') : next.OriginalString.TrimStart('/'));
        }
        var location = response.Headers.Location?.OriginalString ?? "";
        Assert.True(location.StartsWith(AppRedirect, StringComparison.Ordinal), $"{response.StatusCode} {location} {await response.Content.ReadAsStringAsync()}");
        var code = QueryHelpers.ParseQuery(new Uri(location).Query)["code"].ToString();
        var redeemed = await server.CreateProxiedClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "field-app", ["redirect_uri"] = AppRedirect, ["code"] = code,
            ["code_verifier"] = pkce.Verifier,
        });
        var json = await redeemed.JsonAsync();
        Assert.True(redeemed.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }

    private static async Task<MimeMessage> MailAsync(FakeSmtpServer smtp, string to, string subjectStart)
    {
        // Bounds a failure only; nothing is timed.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = smtp.Messages.Select(data => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(data))))
                .LastOrDefault(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase))
                    && m.Subject?.StartsWith(subjectStart, StringComparison.Ordinal) == true);
            if (found is not null || DateTime.UtcNow > deadline)
            {
                Assert.NotNull(found);
                return found;
            }
            await Task.Delay(20);
        }
    }

    private static string InvitationLinkIn(MimeMessage mail) =>
        mail.TextBody!.Split('\n').Select(line => line.Trim()).Single(line => line.Contains("/account/invitation?token=", StringComparison.Ordinal));

    private static string CodeIn(MimeMessage mail) => SignInCode().Match(mail.TextBody ?? "").Groups[1].Value;

    [GeneratedRegex(@"sign-in code is (\d{6})")]
    private static partial Regex SignInCode();

    /// <summary>
    /// A browser behind Render's proxy: HTTPS as far as the server knows, so its <c>__Host-</c> cookies are Secure and an
    /// ordinary cookie container would not send them over the test's plain loopback; this jar keeps and sends them all.
    /// </summary>
    private sealed class ProxiedBrowser() : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = ProductionServer.PublicHost;
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", ProductionServer.ClientAddress);
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
            }
            var response = await base.SendAsync(request, cancellationToken);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..equals], pair[(equals + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
            return response;
        }
    }
}
