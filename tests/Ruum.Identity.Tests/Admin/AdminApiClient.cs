using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Admin;

/// <summary>Calls to the admin API as its callers make them: bearer tokens from the server's own token endpoint.</summary>
public static class AdminApiClient
{
    public const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>The seeded automation client's token (client credentials, ruum.admin).</summary>
    public static async Task<string> AutomationTokenAsync(this RuumServer server, string clientId = DevelopmentSeed.AdminClientId,
        string secret = DevelopmentSeed.AdminClientSecret) =>
        (await server.ClientCredentialsAsync(clientId, secret, "ruum.admin")).GetProperty("access_token").GetString()!;

    public static HttpClient AdminHttp(this RuumServer server, string? token)
    {
        var client = server.CreatePlainClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A first-party public client allowed ruum.admin, as the admin console will be.</summary>
    public static async Task<string> CreateConsoleClientAsync(this RuumServer server)
    {
        var clientId = "console-" + Guid.NewGuid().ToString("N")[..12];
        await server.WithServicesAsync(async services => await services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(
            new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientType = ClientTypes.Public,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = "Admin console (test)",
                RedirectUris = { new Uri(TestData.SpaRedirect) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + "ruum.admin", Permissions.Prefixes.Scope + "ruum.api",
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            }));
        return clientId;
    }

    /// <summary>A user's access token for the admin API after a full sign-in (password and second factor: amr has mfa).</summary>
    public static async Task<string> UserTokenAsync(this RuumServer server, string consoleClientId, string email, string password = TestData.Password,
        string scope = "openid ruum.admin") =>
        (await new AuthorizationCodeFlow(server) { ClientId = consoleClientId, Scope = scope }.GetTokensAsync(email, password))
            .GetProperty("access_token").GetString()!;

    /// <summary>
    /// A password-only token: the browser is trusted (emailed code, "trust this device"), then signs in again on it,
    /// so the second factor is skipped and amr is just pwd.
    /// </summary>
    public static async Task<string> PasswordOnlyTokenAsync(this RuumServer server, string consoleClientId, string email)
    {
        var flow = new AuthorizationCodeFlow(server) { ClientId = consoleClientId, Scope = "openid ruum.admin", TrustDevice = true };
        flow.Browser.DefaultRequestHeaders.UserAgent.ParseAdd(ChromeOnWindows);
        await flow.GetCodeAsync(email, TestData.Password);
        flow.TrustDevice = false;
        foreach (var cookie in flow.Cookies.GetAllCookies().Where(c => c.Name == "ruum.session"))
        {
            cookie.Expired = true;
        }
        var token = (await flow.GetTokensAsync(email, TestData.Password)).GetProperty("access_token").GetString()!;
        Assert.Equal(["pwd"], Jwt.Payload(token).GetProperty("amr").EnumerateArray().Select(m => m.GetString()));
        return token;
    }

    public static async Task<User> CreatePlatformAdminAsync(this RuumServer server)
    {
        var user = await server.CreateUserAsync();
        await server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().GrantPlatformRoleAsync(user.Id, RoleCatalogue.PlatformAdmin));
        return user;
    }

    public static async Task<User> CreateCompanyUserAsync(this RuumServer server, Guid companyId, string role)
    {
        var user = await server.CreateUserAsync();
        await server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().SetCompanyRoleAsync(user.Id, companyId, role));
        return user;
    }

    public static async Task<Guid> CreateCompanyAsync(this RuumServer server, string? name = null)
    {
        Company? company = null;
        await server.WithServicesAsync(async s => company = await s.GetRequiredService<TenancyDirectory>()
            .EnsureCompanyAsync(name ?? "Company " + Guid.NewGuid().ToString("N")[..8]));
        return company!.Id;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body, string? ifMatch = null) =>
        client.SendJsonAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body), ifMatch);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body, string? ifMatch = null) =>
        client.SendJsonAsync(HttpMethod.Put, path, JsonSerializer.Serialize(body), ifMatch);

    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await client.SendAsync(request);
    }

    /// <summary>Asserts an RFC 9457 problem+json answer with this status and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The field-level messages of a 400 problem.</summary>
    public static async Task<JsonElement> FieldErrorsAsync(this HttpResponseMessage response) =>
        (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
}
