using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ruum.Identity.Tests.EndToEnd;

/// <summary>
/// A single-page app on its own origin: tests/spa-client's page and script, with oidc-client-ts's browser bundle from
/// that folder's node_modules (scripts/test.sh runs <c>npm ci</c> there). A static site, as a SPA is deployed: every
/// call to the identity server is the browser's own cross-origin fetch.
/// </summary>
public sealed class SpaClient : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SpaClient(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:port/ — also the origin the identity server and the API must allow.</summary>
    public Uri BaseAddress { get; }

    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public Uri RedirectUri => new(BaseAddress, "callback");

    public Uri PostLogoutRedirectUri => new(BaseAddress, "signed-out");

    /// <summary>Set once the client is registered (its redirect URI needs this app's port first).</summary>
    public string? ClientId { get; set; }

    public Uri? Api { get; set; }

    public static async Task<SpaClient> StartAsync(Uri authority)
    {
        var folder = Folder();
        var bundle = Path.Combine(folder, "node_modules", "oidc-client-ts", "dist", "browser", "oidc-client-ts.min.js");
        if (!File.Exists(bundle))
        {
            throw new InvalidOperationException($"oidc-client-ts is not installed ({bundle} is missing): run `npm ci` in {folder} (scripts/test.sh does).");
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SpaClient? spa = null;
        var index = Path.Combine(folder, "index.html");
        app.MapGet("/", () => Results.File(index, "text/html"));
        app.MapGet("/callback", () => Results.File(index, "text/html"));
        app.MapGet("/signed-out", () => Results.File(index, "text/html"));
        app.MapGet("/app.js", () => Results.File(Path.Combine(folder, "app.js"), "text/javascript"));
        app.MapGet("/oidc-client-ts.min.js", () => Results.File(bundle, "text/javascript"));
        app.MapGet("/config.js", () => Results.Text(
            $"window.ruumSpa = {System.Text.Json.JsonSerializer.Serialize(new { authority, clientId = spa!.ClientId, api = spa.Api })};",
            "text/javascript"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        spa = new SpaClient(app, new Uri(address + "/"));
        return spa;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>tests/spa-client, found from the test assembly's folder upwards.</summary>
    private static string Folder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "spa-client");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"tests/spa-client is not above {AppContext.BaseDirectory}.");
    }
}
