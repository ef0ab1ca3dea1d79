using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Otp;

/// <summary>Shared steps and checks for second-factor tests.</summary>
internal static class SecondStep
{
    /// <summary>Starts /connect/authorize and passes the password: the response is the code page (or the client redirect on a trusted device).</summary>
    public static async Task<HttpResponseMessage> PassPasswordAsync(this AuthorizationCodeFlow flow, string email, string password = TestData.Password)
    {
        var start = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl()));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var automatic = flow.PassSecondFactorAutomatically;
        flow.PassSecondFactorAutomatically = false;
        try
        {
            return await flow.FollowAsync(await flow.SignInWithPageAsync(start, email, password));
        }
        finally
        {
            flow.PassSecondFactorAutomatically = automatic;
        }
    }

    public static async Task<HttpResponseMessage> ReachOtpPageAsync(this AuthorizationCodeFlow flow, string email, string password = TestData.Password)
    {
        var page = await flow.PassPasswordAsync(email, password);
        Assert.True(AuthorizationCodeFlow.IsOtpPage(page), "Expected the code page, got " + page.StatusCode + " " + page.RequestMessage?.RequestUri);
        return page;
    }

    /// <summary>Whether the browser holds a session: /account/devices answers 200 only when signed in.</summary>
    public static async Task<bool> IsSignedInAsync(this AuthorizationCodeFlow flow) =>
        (await flow.Browser.GetAsync("account/devices")).StatusCode == HttpStatusCode.OK;

    /// <summary>Posts the sign-out form of /account/logout, as the button does.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(this AuthorizationCodeFlow flow)
    {
        var page = await flow.Browser.GetAsync("account/logout");
        return await flow.Browser.PostAsync("account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));
    }

    public static JsonElement JwtPayload(string jwt) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(jwt.Split('.')[1]))).RootElement;

    public static string[] Amr(JsonElement payload) =>
        [.. payload.GetProperty("amr").EnumerateArray().Select(m => m.GetString()!)];

    public static async Task<List<AuditEvent>> AuditOfAsync(this RuumServer server, Guid? userId, string? type = null) =>
        await server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.UserId == userId && (type == null || e.Type == type)).OrderBy(e => e.Id).ToListAsync());

    /// <summary>Writes the refusal counts (rate limit, busy password checks) now instead of after their minute.</summary>
    public static Task FlushRefusalCountsAsync(this RuumServer server) =>
        server.WithServicesAsync(services => services.GetRequiredService<RefusalTally>()
            .FlushAsync(services.GetRequiredService<AuditLog>(), DateTimeOffset.MaxValue, CancellationToken.None));

    public static async Task<AccountLockout?> LockoutOfAsync(this RuumServer server, Guid userId) =>
        await server.WithDatabaseAsync(db => db.Set<AccountLockout>().AsNoTracking().SingleOrDefaultAsync(l => l.UserId == userId));

    public static async Task<List<EmailCode>> EmailCodesOfAsync(this RuumServer server, Guid userId) =>
        await server.WithDatabaseAsync(db => db.Set<EmailCode>().AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.CreatedAt).ToListAsync());

    public static async Task<string> TextAsync(this HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
}
