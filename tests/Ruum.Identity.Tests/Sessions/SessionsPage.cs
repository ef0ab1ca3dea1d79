using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Tests.Infrastructure;
using BrowserSession = Ruum.Identity.Features.Sessions.BrowserSession;

namespace Ruum.Identity.Tests.Sessions;

/// <summary>/account/sessions and /account/apps as a browser without JavaScript uses them, and what the database holds.</summary>
internal static class SessionsPage
{
    /// <summary>Opens <paramref name="page"/> and posts one of its forms (a handler with its fields), with the page's anti-forgery token.</summary>
    public static async Task<HttpResponseMessage> PostAsync(this AuthorizationCodeFlow flow, string page, string handler,
        IDictionary<string, string>? fields = null)
    {
        var get = await flow.Browser.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>())
        {
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await get.Content.ReadAsStringAsync()),
        };
        return await flow.Browser.PostAsync(page + "?handler=" + handler, new FormUrlEncodedContent(form));
    }

    public static async Task<List<BrowserSession>> SessionsOfAsync(this RuumServer server, Guid userId) =>
        await server.WithDatabaseAsync(db => db.Set<BrowserSession>().AsNoTracking().Where(s => s.UserId == userId).ToListAsync());

    public static async Task<HttpStatusCode> UserInfoStatusAsync(this RuumServer server, string accessToken)
    {
        var client = server.CreatePlainClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return (await client.GetAsync("connect/userinfo")).StatusCode;
    }

    public static async Task<bool> IsActiveAsync(this RuumServer server, string accessToken) =>
        (await server.IntrospectAsync(accessToken)).GetProperty("active").GetBoolean();

    public static async Task<string?> RefreshErrorAsync(this RuumServer server, string refreshToken, string clientId)
    {
        var json = await (await server.RefreshAsync(refreshToken, clientId)).JsonAsync();
        return json.TryGetProperty("error", out var error) ? error.GetString() : null;
    }
}
