using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ruum.Identity.Tests.EndToEnd;

/// <summary>
/// A small web app that signs its users in with ASP.NET Core's own OpenID Connect handler — a standard
/// client we did not write — against our server, over real HTTP.
/// </summary>
public sealed class RelyingParty : IAsyncDisposable
{
    public const string ClientId = "relying-party";
    public const string ClientSecret = "relying-party-secret-0123456789";

    private readonly WebApplication _app;

    private RelyingParty(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<RelyingParty> StartAsync(Uri authority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = authority.ToString();
                o.RequireHttpsMetadata = false;
                o.ClientId = ClientId;
                o.ClientSecret = ClientSecret;
                o.ResponseType = "code";
                o.ResponseMode = "query";
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.Scope.Add("email");
                o.Scope.Add("ruum.api");
                // Plain HTTP on loopback: SameSite=None cookies would need Secure.
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/", async (HttpContext context) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                return Results.Challenge();
            }
            var accessToken = await context.GetTokenAsync("access_token");
            var html = $"""
                <h1 id="hello">Hello {WebUtility.HtmlEncode(context.User.FindFirst("name")?.Value)}</h1>
                <p id="sub">{WebUtility.HtmlEncode(context.User.FindFirst("sub")?.Value)}</p>
                <p id="email">{WebUtility.HtmlEncode(context.User.FindFirst("email")?.Value)}</p>
                <p id="access-token">{WebUtility.HtmlEncode(accessToken)}</p>
                """;
            return Results.Content(html, "text/html");
        });
        app.MapGet("/logout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/signed-out", () => Results.Content("<h1 id=\"bye\">Signed out of the app</h1>", "text/html"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RelyingParty(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
