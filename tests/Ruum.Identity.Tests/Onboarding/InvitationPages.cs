using Ruum.Identity.Features.Notifications.Templates;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Onboarding;

/// <summary>Invitations as an admin sends them and as the invited person follows the mailed link, without JavaScript.</summary>
internal static partial class InvitationPages
{
    public const string Password = "Lantern-Orchard-Quartz-58";

    /// <summary>Invites through the admin API (the seeded automation client unless a client is given) and returns the invitation.</summary>
    public static async Task<JsonElement> InviteAsync(this RuumServer server, string email, Guid? companyId = null, string? role = "member",
        string? projectId = null, string? projectRole = null, HttpClient? admin = null)
    {
        admin ??= server.AdminHttp(await server.AutomationTokenAsync());
        var response = await admin.PostJsonAsync("api/admin/users/invitations",
            new { email, displayName = "Invited Person", companyId, role = companyId is null ? null : role, projectId, projectRole });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The token of the newest invitation link mailed to <paramref name="email"/>.</summary>
    public static string InvitationToken(this RuumServer server, string email)
    {
        var mail = server.MessagesTo(email).LastOrDefault(m => m.Subject == MailTemplates.InvitationSubject);
        Assert.NotNull(mail);
        var match = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, "No invitation link in the mail: " + mail.TextBody);
        return match.Groups[1].Value;
    }

    public static Task<HttpResponseMessage> OpenInvitationAsync(this HttpClient browser, string token) =>
        browser.GetAsync("account/invitation?token=" + Uri.EscapeDataString(token));

    /// <summary>Posts the acceptance form; the anti-forgery token comes from the page of <paramref name="pageToken"/> (or of the same link).</summary>
    public static async Task<HttpResponseMessage> AcceptAsync(this HttpClient browser, string token, string password = Password, string name = "Ana García",
        string? pageToken = null)
    {
        var page = await browser.OpenInvitationAsync(pageToken ?? token);
        var html = await page.Content.ReadAsStringAsync();
        var antiforgery = html.Contains("__RequestVerificationToken", StringComparison.Ordinal)
            ? AuthorizationCodeFlow.AntiforgeryToken(html)
            : AuthorizationCodeFlow.AntiforgeryToken(await (await browser.GetAsync("account/forgot-password")).Content.ReadAsStringAsync());
        return await browser.PostAsync("account/invitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["Input.DisplayName"] = name,
            ["Input.NewPassword"] = password,
            ["Input.ConfirmPassword"] = password,
            ["__RequestVerificationToken"] = antiforgery,
        }));
    }

    /// <summary>The whole acceptance: the form, the emailed code on the sign-in's code page, the completion page.</summary>
    public static async Task<HttpResponseMessage> AcceptAndSignInAsync(this AuthorizationCodeFlow flow, string token, string email)
    {
        var accepted = await flow.Browser.AcceptAsync(token);
        Assert.True(accepted.StatusCode == HttpStatusCode.Redirect, await accepted.Content.ReadAsStringAsync());
        Assert.Equal("/account/otp", accepted.Headers.Location?.OriginalString);
        var otp = await flow.Browser.GetAsync("account/otp");
        return await flow.FollowAsync(await flow.PostOtpAsync(otp, await flow.SecondFactorCodeAsync(email)));
    }

    [GeneratedRegex(@"/account/invitation\?token=([A-Za-z0-9_-]{43})\b")]
    private static partial Regex LinkPattern();
}
