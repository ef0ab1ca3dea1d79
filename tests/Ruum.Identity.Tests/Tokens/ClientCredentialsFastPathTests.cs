using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Hosting;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>
/// The client-credentials fast path (<see cref="ClientCredentialsFastPath"/>) answers plain requests itself and leaves
/// every request it cannot grant to OpenIddict; that it answers as OpenIddict does is <see cref="ClientCredentialsDifferentialTests"/>.
/// </summary>
public sealed class ClientCredentialsFastPathTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Form = "grant_type=client_credentials&scope=ruum.api";
    private const string DevService = "dev-service:dev-service-secret";

    private readonly RuumServer _server = fixture.Server;

    [Theory]
    [InlineData(Form, DevService)]
    [InlineData(Form + "&client_id=dev-service&client_secret=dev-service-secret", null)]
    public async Task PlainRequest_IsAnsweredWithoutOpenIddict(string form, string? basic)
    {
        var (handedOn, context) = await InvokeAsync(form, basic);

        Assert.False(handedOn);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        var token = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray()).RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal("dev-service", Jwt.Payload(token).GetProperty("client_id").GetString());
        Assert.Equal("ruum-api", Jwt.Payload(token).GetProperty("aud").GetString());
    }

    [Theory]
    [InlineData("wrong secret", Form, "dev-service:wrong-secret")]
    [InlineData("unknown client", Form, "nobody:dev-service-secret")]
    [InlineData("public client", Form, "dev-spa:anything")]
    [InlineData("no credentials", Form, null)]
    [InlineData("credentials twice", Form + "&client_id=dev-service&client_secret=dev-service-secret", DevService)]
    [InlineData("percent-encoded credentials", Form, "dev%2Dservice:dev-service-secret")]
    [InlineData("scope not permitted", "grant_type=client_credentials&scope=email", DevService)]
    [InlineData("unregistered scope", "grant_type=client_credentials&scope=ruum.unknown", DevService)]
    [InlineData("openid scope", "grant_type=client_credentials&scope=openid%20ruum.api", DevService)]
    [InlineData("no scope", "grant_type=client_credentials", DevService)]
    [InlineData("empty scope", "grant_type=client_credentials&scope=", DevService)]
    [InlineData("scope named twice", "grant_type=client_credentials&scope=ruum.api%20ruum.api", DevService)]
    [InlineData("parameter twice", Form + "&scope=ruum.api", DevService)]
    [InlineData("resource indicator", Form + "&resource=https%3A%2F%2Fapi.ruum.test%2F", DevService)]
    [InlineData("another grant", "grant_type=refresh_token&refresh_token=abc", DevService)]
    public async Task OtherRequest_IsHandedOnToOpenIddictUntouched(string why, string form, string? basic)
    {
        var (handedOn, context) = await InvokeAsync(form, basic);

        Assert.True(handedOn, why);
        Assert.Equal(0, context.Response.Body.Length);
        Assert.False(context.Response.HasStarted);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("multipart")]
    [InlineData("DPoP")]
    [InlineData("another path")]
    public async Task OtherShape_IsHandedOnToOpenIddict(string shape)
    {
        var (handedOn, _) = await InvokeAsync(Form, DevService, request =>
        {
            switch (shape)
            {
                case "GET": request.Method = HttpMethods.Get; break;
                case "multipart": request.ContentType = "multipart/form-data; boundary=x"; break;
                case "DPoP": request.Headers["DPoP"] = "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln"; break;
                default: request.Path = "/connect/introspect"; break;
            }
        });

        Assert.True(handedOn, shape);
    }

    [Fact]
    public async Task Production_AnswersOverHttpsOnly_WithTheConfiguredIssuer()
    {
        await using var server = await ProductionServer.StartAsync();
        var secret = ServiceClients.NewSecret();
        var clientId = await server.CreateServiceClientAsync(secret);

        var (overHttp, _) = await InvokeAsync(server, Form, $"{clientId}:{secret}");
        var (overHttps, context) = await InvokeAsync(server, Form, $"{clientId}:{secret}", request => request.Scheme = "https");

        Assert.True(overHttp); // OpenIddict refuses it (transport security), as before
        Assert.False(overHttps);
        var token = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray()).RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal(ProductionServer.Issuer, Jwt.Payload(token).GetProperty("iss").GetString());
    }

    [Fact]
    public async Task ChangedSecret_AppliesAtOnce()
    {
        var secret = ServiceClients.NewSecret();
        var clientId = await _server.CreateServiceClientAsync(secret);
        await _server.ClientCredentialsAsync(clientId, secret); // now cached

        var newSecret = ServiceClients.NewSecret();
        await _server.WithServicesAsync(async services =>
        {
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            // By id: FindByClientIdAsync hands out the cached instance, which this request's DbContext cannot update.
            var id = await applications.GetIdAsync((await applications.FindByClientIdAsync(clientId))!);
            await applications.UpdateAsync((await applications.FindByIdAsync(id!))!, newSecret);
        });

        var stale = await _server.CreatePlainClient().PostFormAsync("connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "ruum.api" }, (clientId, secret));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal("invalid_client", (await stale.JsonAsync()).GetProperty("error").GetString());
        await _server.ClientCredentialsAsync(clientId, newSecret);
    }

    /// <summary>The middleware alone, with the server's services, on a request built here; "handed on" means it called the next one.</summary>
    private Task<(bool HandedOn, HttpContext Context)> InvokeAsync(string form, string? basic, Action<HttpRequest>? change = null) =>
        InvokeAsync(_server, form, basic, change);

    private static async Task<(bool HandedOn, HttpContext Context)> InvokeAsync(RuumServer server, string form, string? basic,
        Action<HttpRequest>? change = null)
    {
        var handedOn = false;
        var fastPath = ActivatorUtilities.CreateInstance<ClientCredentialsFastPath>(
            server.Services, (RequestDelegate)(_ => { handedOn = true; return Task.CompletedTask; }));
        await using var scope = server.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var request = context.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Host = new HostString(server.BaseAddress.Authority);
        request.Path = "/connect/token";
        request.ContentType = "application/x-www-form-urlencoded";
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes(form));
        if (basic is not null)
        {
            request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basic));
        }
        change?.Invoke(request);
        context.Response.Body = new MemoryStream();

        await fastPath.InvokeAsync(context);
        return (handedOn, context);
    }
}
