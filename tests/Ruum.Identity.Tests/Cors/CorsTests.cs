using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Cors;

/// <summary>
/// What a browser sees: preflights and requests carrying Origin. Allowed are the origins of public clients' redirect
/// URIs (the seeded dev-spa: http://localhost:5173) at discovery, JWKS, token, revocation and userinfo only.
/// </summary>
public sealed class CorsTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string SpaOrigin = "http://localhost:5173";
    private const string EvilOrigin = "https://evil.example";

    private static readonly string[] CorsHeaders =
    [
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Access-Control-Expose-Headers",
    ];

    private readonly RuumServer _server = fixture.Server;

    public static TheoryData<string, string> BrowserEndpoints => new()
    {
        { "GET", ".well-known/openid-configuration" },
        { "GET", ".well-known/jwks" },
        { "POST", "connect/token" },
        { "POST", "connect/revoke" },
        { "GET", "connect/userinfo" },
    };

    [Theory]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task Preflight_FromPublicClientOrigin_IsAllowedWithoutCredentials(string method, string path)
    {
        var response = await PreflightAsync(path, SpaOrigin, method);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(SpaOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("7200", Header(response, "Access-Control-Max-Age"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", Header(response, "Vary"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task Request_FromPublicClientOrigin_EchoesTheOrigin(string method, string path)
    {
        var response = await SendAsync(method, path, SpaOrigin);

        Assert.Equal(SpaOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", Header(response, "Vary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRequest_FromPublicClientOriginOnTheFastPath_EchoesTheOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "dev-service", ["client_secret"] = "dev-service-secret",
            }),
        };
        request.Headers.Add("Origin", SpaOrigin);

        var response = await _server.CreatePlainClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SpaOrigin, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task UserInfoError_FromPublicClientOrigin_ExposesWwwAuthenticate()
    {
        var response = await SendAsync("GET", "connect/userinfo", SpaOrigin);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("WWW-Authenticate", Header(response, "Access-Control-Expose-Headers"));
    }

    [Theory]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsHeaders(string method, string path)
    {
        var response = await PreflightAsync(path, EvilOrigin, method);

        AssertNoCorsHeaders(response);
    }

    [Theory]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task Request_FromAnotherOrigin_GetsNoCorsHeaders(string method, string path)
    {
        AssertNoCorsHeaders(await SendAsync(method, path, EvilOrigin));
    }

    [Fact]
    public async Task TokenPreflight_FromAnotherOrigin_IssuesNothing()
    {
        var tokensBefore = await TokenCountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, "connect/token?grant_type=client_credentials&client_id=dev-service&client_secret=dev-service-secret");
        request.Headers.Add("Origin", EvilOrigin);
        request.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await _server.CreatePlainClient().SendAsync(request);

        AssertNoCorsHeaders(response);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(tokensBefore, await TokenCountAsync());
    }

    [Theory]
    [InlineData("connect/authorize")]
    [InlineData("connect/introspect")]
    [InlineData("connect/endsession")]
    [InlineData("account/login")]
    [InlineData("health/ready")]
    public async Task OtherEndpoint_FromPublicClientOrigin_GetsNoCorsHeaders(string path)
    {
        AssertNoCorsHeaders(await PreflightAsync(path, SpaOrigin, "POST"));
        AssertNoCorsHeaders(await SendAsync("GET", path, SpaOrigin));
        AssertNoCorsHeaders(await SendAsync("POST", path, SpaOrigin));
    }

    [Fact]
    public async Task ConfidentialClientOrigin_AtTheTokenEndpoint_GetsNoCorsHeaders()
    {
        const string origin = "https://confidential-app.example";
        await CreateConfidentialClientAsync(origin + "/signin-oidc");

        AssertNoCorsHeaders(await PreflightAsync("connect/token", origin, "POST"));
        AssertNoCorsHeaders(await SendAsync("POST", "connect/token", origin));
    }

    [Fact]
    public async Task PublicClient_CreatedThenDeleted_ItsOriginFollowsAtOnce()
    {
        const string origin = "https://new-spa.example:8443";
        AssertNoCorsHeaders(await PreflightAsync("connect/token", origin, "POST")); // the origin set is now cached

        var clientId = await _server.CreatePublicClientAsync(origin + "/callback");
        Assert.Equal(origin, Header(await PreflightAsync("connect/token", origin, "POST"), "Access-Control-Allow-Origin"));

        await _server.WithServicesAsync(async services =>
        {
            // Deleted through an instance of its own: the one FindByClientIdAsync returns is shared (see RuumApplicationManager).
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            var id = await applications.GetIdAsync((await applications.FindByClientIdAsync(clientId))!);
            await applications.DeleteAsync((await applications.FindByIdAsync(id!))!);
        });
        AssertNoCorsHeaders(await PreflightAsync("connect/token", origin, "POST"));
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await _server.CreatePlainClient().SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string origin)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", origin);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = TestData.SpaClient, ["token"] = "not-a-token" });
        }
        return await _server.CreatePlainClient().SendAsync(request);
    }

    private async Task CreateConfidentialClientAsync(string redirectUri) =>
        await _server.WithServicesAsync(async services => await services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(
            new OpenIddictApplicationDescriptor
            {
                ClientId = "confidential-" + Guid.NewGuid().ToString("N")[..12],
                ClientSecret = "confidential-secret-0123456789",
                ClientType = ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
                RedirectUris = { new Uri(redirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            }));

    private async Task<int> TokenCountAsync() =>
        await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync());

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static void AssertNoCorsHeaders(HttpResponseMessage response)
    {
        foreach (var name in CorsHeaders)
        {
            Assert.Null(Header(response, name));
        }
    }
}
