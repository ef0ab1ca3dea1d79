using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>RFC 7636 §4.1, §4.2: verifier and challenge are 43 to 128 characters of [A-Za-z0-9-._~].</summary>
public sealed class ProofKeySyntaxTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Theory]
    [InlineData(42)]
    [InlineData(129)]
    public async Task Token_CodeVerifierOfWrongLength_IsInvalidRequestAndLeavesTheCodeAsItWas(int length)
    {
        // A challenge that matches the verifier: only the verifier's length is wrong.
        var verifier = string.Concat(Pkce.Create().Verifier, Pkce.Create().Verifier, Pkce.Create().Verifier)[..length];
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var code = await flow.GetCodeAsync(user.Email, TestData.Password, new Dictionary<string, string?>
        {
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
        });
        var rows = await TokenStatusesAsync(user);
        var before = await Snapshot.TakeAsync(_server);

        var response = await flow.RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("invalid_request", json.GetProperty("error").GetString());
        Assert.Contains("'code_verifier'", json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(":valid", Assert.Single(rows), StringComparison.Ordinal);
        Assert.Equal(rows, await TokenStatusesAsync(user));
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    [Theory]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")] // 42 characters
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")] // base64, not base64url
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw/cM")]
    public async Task Authorize_MalformedCodeChallenge_ShowsTheErrorPageAndNeverRedirects(string challenge)
    {
        var flow = new AuthorizationCodeFlow(_server);
        var before = await Snapshot.TakeAsync(_server);

        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["code_challenge"] = challenge }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("invalid_request", html, StringComparison.Ordinal);
        Assert.Contains("The 'code_challenge' parameter must be 43 to 128 characters", html, StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot.TakeAsync(_server));
    }

    private Task<List<string>> TokenStatusesAsync(User user) =>
        _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == user.Id.ToString())
            .OrderBy(t => t.Id).Select(t => t.Type + ":" + t.Status).ToListAsync());
}
