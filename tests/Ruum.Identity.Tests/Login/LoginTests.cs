using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Login;

public sealed class LoginTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private static async Task<(HttpResponseMessage Response, string Html)> PostLoginAsync(AuthorizationCodeFlow flow, string email, string password)
    {
        var response = await flow.SignInAsync(email, password);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_UnknownEmailAndWrongPassword_ShowTheSameMessage()
    {
        var user = await _server.CreateUserAsync();
        var before = await Snapshot.TakeAsync(_server);

        var (wrongPassword, wrongHtml) = await PostLoginAsync(new AuthorizationCodeFlow(_server), user.Email, "Wrong-Password-123");
        var (unknown, unknownHtml) = await PostLoginAsync(new AuthorizationCodeFlow(_server), TestData.UniqueEmail(), "Wrong-Password-123");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("Email or password is incorrect.", wrongHtml, StringComparison.Ordinal);
        Assert.Contains("Email or password is incorrect.", unknownHtml, StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    [Fact]
    public async Task Login_DisabledUser_CannotSignIn()
    {
        var user = await _server.CreateUserAsync(enabled: false);

        var (response, html) = await PostLoginAsync(new AuthorizationCodeFlow(_server), user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Email or password is incorrect.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_EmailInOtherCaseAndUnicodeForm_SignsIn()
    {
        var user = await _server.CreateUserAsync(email: $"Ｃase-{Guid.NewGuid():N}@Example.test");

        var (response, _) = await PostLoginAsync(new AuthorizationCodeFlow(_server), user.Email.Replace("Ｃ", "c", StringComparison.Ordinal).ToUpperInvariant(), TestData.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Returns400AndSignsNobodyIn()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        await flow.Browser.GetAsync("account/login");

        var response = await flow.Browser.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestData.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Login_TenKilobyteEmail_Returns400WithAClearMessage()
    {
        var before = await Snapshot.TakeAsync(_server);
        var (response, html) = await PostLoginAsync(new AuthorizationCodeFlow(_server), new string('a', 10 * 1024) + "@example.test", "x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("That email address is too long.", html, StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    [Fact]
    public async Task Login_NonUtf8Body_IsAClear4xxNot500()
    {
        var flow = new AuthorizationCodeFlow(_server);
        var page = await (await flow.Browser.GetAsync("account/login")).Content.ReadAsStringAsync();
        var token = AuthorizationCodeFlow.AntiforgeryToken(page);
        var body = Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Email=")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE })
            .Concat(Encoding.ASCII.GetBytes("&Input.Password=%FF%FE"))
            .ToArray();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var response = await flow.Browser.PostAsync("account/login", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_OversizedBody_IsRefusedWithA4xx()
    {
        var flow = new AuthorizationCodeFlow(_server);
        using var content = new StringContent("Input.Email=" + new string('a', 200 * 1024), Encoding.ASCII, "application/x-www-form-urlencoded");

        var response = await flow.Browser.PostAsync("account/login", content);

        // Kestrel stops reading at 64 KB; anti-forgery validation, which reads the form first, reports it as 400.
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, response.StatusCode.ToString());
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    public async Task Login_ForeignReturnUrl_RedirectsHomeInstead(string returnUrl)
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var page = await (await flow.Browser.GetAsync("account/login")).Content.ReadAsStringAsync();

        var response = await flow.Browser.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestData.Password,
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(page),
        }));

        // The password leads to the code page; the code page returns only to a local URL.
        Assert.Equal("/account/otp", response.Headers.Location!.OriginalString);
        var done = await flow.PostOtpAsync(await flow.Browser.GetAsync("account/otp"), _server.LatestCode(user.Email));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", done.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Token_MalformedAndUnknownParameters_AreAClear4xx()
    {
        var client = _server.CreatePlainClient();
        using var garbage = new StringContent("%%%&&&===%ZZ", Encoding.ASCII, "application/x-www-form-urlencoded");
        var malformed = await client.PostAsync("connect/token", garbage);
        using var json = new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json");
        var wrongType = await client.PostAsync("connect/token", json);
        var unknownParameters = await client.PostFormAsync("connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ruum.api",
            ["totally_unknown"] = "value",
        }, ("dev-service", "dev-service-secret"));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("invalid_request", (await wrongType.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, unknownParameters.StatusCode); // RFC 6749 §3.2: unknown parameters are ignored
    }

    [Fact]
    public async Task Login_FactorRaised_RehashesThePasswordOnSuccess()
    {
        var user = await _server.CreateUserAsync();
        await using var stronger = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Passwords:WorkFactor"] = "5" });
        await stronger.WithDatabaseAsync(async db =>
        {
            db.Add(new User
            {
                Email = user.Email, NormalizedEmail = user.NormalizedEmail, DisplayName = user.DisplayName,
                PasswordHash = user.PasswordHash, CreatedAt = user.CreatedAt, UpdatedAt = user.UpdatedAt,
            });
            await db.SaveChangesAsync();
        });

        var (response, _) = await PostLoginAsync(new AuthorizationCodeFlow(stronger), user.Email, TestData.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var hash = await stronger.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Email == user.Email).Select(u => u.PasswordHash).SingleAsync());
        Assert.StartsWith("1:$2a$04$", user.PasswordHash, StringComparison.Ordinal);
        Assert.StartsWith("1:$2a$05$", hash, StringComparison.Ordinal);
    }
}
