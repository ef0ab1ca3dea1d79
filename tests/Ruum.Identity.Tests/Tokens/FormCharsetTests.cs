using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>RFC 6749 Appendix B: forms are UTF-8; one in a charset the server cannot read is the client's error, never a 500.</summary>
public sealed class FormCharsetTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Service = "dev-service:dev-service-secret";
    private const string ClientCredentials = "grant_type=client_credentials&scope=ruum.api";
    private readonly RuumServer _server = fixture.Server;

    [Theory]
    [InlineData("connect/token", ClientCredentials, Service, "utf-7")]
    [InlineData("connect/token", ClientCredentials, Service, "x-no-such-charset")]
    [InlineData("connect/introspect", "token=abc", "ruum-api:ruum-api-secret", "utf-7")]
    [InlineData("connect/revoke", "token=abc", Service, "utf-7")]
    [InlineData("connect/revoke", "token=abc", Service, "x-no-such-charset")]
    public async Task Form_InACharsetTheServerCannotRead_IsInvalidRequest(string path, string form, string basic, string charset)
    {
        var before = await Snapshot.TakeAsync(_server);

        var response = await PostAsync(path, form, basic, charset);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    [Theory]
    [InlineData("connect/authorize")]
    [InlineData("connect/endsession")]
    public async Task BrowserForm_InUtf7_ShowsTheErrorPage(string path)
    {
        var response = await PostAsync(path, "client_id=dev-spa&response_type=code", basic: null, "utf-7");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageForm_InUtf7_Is415Problem()
    {
        var response = await PostAsync("account/login", "Input.Email=a%40b.test&Input.Password=x", basic: null, "utf-7");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Unsupported charset", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("ISO-8859-1")] // what Apache HttpClient's UrlEncodedFormEntity names by default
    public async Task Form_InUtf8OrLatin1_IsRead(string charset)
    {
        var response = await PostAsync("connect/token", ClientCredentials, Service, charset);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string form, string? basic, string charset)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(form)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=" + charset);
        if (basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }
        return await _server.CreatePlainClient().SendAsync(request);
    }
}
