using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>RFC 6749 §3.1: a parameter sent twice is refused, never read as if it were absent.</summary>
public sealed class RepeatedParameterTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Repeated = "must not be sent more than once";

    private readonly RuumServer _server = fixture.Server;

    [Theory]
    [InlineData("connect/token", "grant_type=client_credentials&scope=ruum.api&scope=ruum.api", "dev-service:dev-service-secret", "scope")]
    [InlineData("connect/token", "grant_type=client_credentials&scope=ruum.api&client_id=dev-service&client_id=dev-service&client_secret=dev-service-secret", null, "client_id")]
    [InlineData("connect/token", "grant_type=client_credentials&grant_type=client_credentials&scope=ruum.api", "dev-service:dev-service-secret", "grant_type")]
    [InlineData("connect/introspect", "token=abc&token=def", "ruum-api:ruum-api-secret", "token")]
    [InlineData("connect/revoke", "token=abc&token=def", "dev-service:dev-service-secret", "token")]
    public async Task ParameterSentTwice_IsInvalidRequestNamingIt(string path, string form, string? basic, string parameter)
    {
        var before = await Snapshot.TakeAsync(_server);

        var response = await PostAsync(path, form, basic);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("invalid_request", json.GetProperty("error").GetString());
        Assert.Equal($"The '{parameter}' parameter {Repeated}.", json.GetProperty("error_description").GetString());
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    [Fact]
    public async Task Authorize_StateSentTwice_ShowsTheErrorPageAndNeverRedirects()
    {
        var flow = new AuthorizationCodeFlow(_server);
        var before = await Snapshot.TakeAsync(_server);

        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl() + "&state=another");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains($"The 'state' parameter {Repeated}.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()),
            StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    [Fact]
    public async Task EndSession_ParameterSentTwice_ShowsTheErrorPageAndKeepsTheSession()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetTokensAsync(user.Email, TestData.Password);
        var before = await Snapshot.TakeAsync(_server);

        var response = await flow.Browser.GetAsync("connect/endsession?state=a&state=b");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains($"The 'state' parameter {Repeated}.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()),
            StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
        var again = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" }));
        Assert.NotEmpty(flow.CodeFrom(again));
    }

    [Fact]
    public async Task ResourceSentTwice_IsNotRefusedAsRepeated()
    {
        var response = await PostAsync("connect/token",
            "grant_type=client_credentials&scope=ruum.api&resource=https%3A%2F%2Fa.ruum.test%2F&resource=https%3A%2F%2Fb.ruum.test%2F",
            "dev-service:dev-service-secret");

        Assert.DoesNotContain(Repeated, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string form, string? basic)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }
        return await _server.CreatePlainClient().SendAsync(request);
    }
}
