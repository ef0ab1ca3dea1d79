using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>Plain token-endpoint calls as any OAuth client would make them.</summary>
public static class OAuth
{
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, IDictionary<string, string> form,
        (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(credentials.Id)}:{Uri.EscapeDataString(credentials.Secret)}")));
        }
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static async Task<JsonElement> ClientCredentialsAsync(this RuumServer server, string clientId = "dev-service",
        string secret = "dev-service-secret", string scope = "ruum.api")
    {
        var response = await server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
        }, (clientId, secret));
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }

    public static async Task<HttpResponseMessage> RefreshAsync(this RuumServer server, string refreshToken, string clientId = TestData.SpaClient) =>
        await server.CreatePlainClient().PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        });

    public static async Task<JsonElement> IntrospectAsync(this RuumServer server, string token) =>
        await (await server.CreatePlainClient().PostFormAsync("connect/introspect", new Dictionary<string, string>
        {
            ["token"] = token,
        }, ("ruum-api", "ruum-api-secret"))).JsonAsync();
}
