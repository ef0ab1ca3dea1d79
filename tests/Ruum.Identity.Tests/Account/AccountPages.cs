using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Account;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Account;

/// <summary>The account centre's pages as a browser without JavaScript uses them, and the mails they send.</summary>
internal static partial class AccountPages
{
    /// <summary>Opens <paramref name="page"/> (its link, token included) and posts its form with the page's anti-forgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this AuthorizationCodeFlow flow, string page, IDictionary<string, string>? fields = null,
        string? handler = null, string? tokenFrom = null)
    {
        var get = await flow.Browser.GetAsync(tokenFrom ?? page);
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>())
        {
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await get.Content.ReadAsStringAsync()),
        };
        var target = handler is null ? page : page + (page.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "handler=" + handler;
        return await flow.Browser.PostAsync(target, new FormUrlEncodedContent(form));
    }

    public static Task<HttpResponseMessage> RequestEmailChangeAsync(this AuthorizationCodeFlow flow, string newEmail) =>
        flow.PostFormAsync("account/email", new Dictionary<string, string> { ["Input.NewEmail"] = newEmail });

    /// <summary>
    /// Posts the confirmation button for the link's token. The anti-forgery token comes from the email page of the same
    /// session, as a refused or spent link's page shows no form to take it from.
    /// </summary>
    public static Task<HttpResponseMessage> ConfirmEmailChangeAsync(this AuthorizationCodeFlow flow, string link) =>
        flow.PostFormAsync(RelativeOf(link), new Dictionary<string, string> { ["Token"] = TokenOf(link) }, tokenFrom: "account/email");

    /// <summary>The link in the newest mail to <paramref name="email"/> that leads to <paramref name="path"/>.</summary>
    public static string LinkTo(this RuumServer server, string email, string path)
    {
        var mail = server.MessagesTo(email).LastOrDefault(m => m.TextBody?.Contains(path, StringComparison.Ordinal) == true);
        Assert.True(mail is not null, $"No mail to {email} with a link to {path}.");
        var match = Regex.Match(mail!.TextBody!, "https?://\\S+" + Regex.Escape(path) + "\\?token=[A-Za-z0-9_-]+");
        Assert.True(match.Success, "No link in the mail: " + mail.TextBody);
        return match.Value;
    }

    public static string RelativeOf(string link) => new Uri(link).PathAndQuery.TrimStart('/');

    public static string TokenOf(string link) => link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];

    public static async Task<User?> UserAsync(this RuumServer server, Guid id) =>
        await server.WithDatabaseAsync(db => db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.Id == id));

    public static async Task<List<EmailChange>> EmailChangesOfAsync(this RuumServer server, Guid userId) =>
        await server.WithDatabaseAsync(db => db.Set<EmailChange>().AsNoTracking().Where(c => c.UserId == userId).ToListAsync());

    /// <summary>The text of the page's alert or status message.</summary>
    public static string MessageOf(string html, string id) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"id=\"{id}\">([^<]*)<").Groups[1].Value);
}
