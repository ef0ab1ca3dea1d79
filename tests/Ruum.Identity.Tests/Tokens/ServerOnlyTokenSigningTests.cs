using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>Codes and refresh tokens are HMAC-signed inside their encryption; what others validate stays RS256 from JWKS.</summary>
public sealed class ServerOnlyTokenSigningTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;
    private readonly JsonWebTokenHandler _handler = new();

    private ServerCredentials Credentials => _server.Services.GetRequiredService<ServerCredentials>();

    [Fact]
    public async Task CodeAndRefreshToken_Always_SignedHs256_AccessAndIdentityTokensWithTheJwksKey()
    {
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);
        // A code is a reference: the client holds an identifier, the signed and encrypted code is the row's payload.
        var code = await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == user.Id.ToString() && t.Type == TokenTypeIdentifiers.Private.AuthorizationCode)
            .Select(t => t.Payload).SingleAsync());

        Assert.Equal("HS256", Inner(code!).Alg);
        Assert.Equal("HS256", Inner(tokens.GetProperty("refresh_token").GetString()!).Alg);
        var jwks = new JsonWebKeySet(await _server.CreatePlainClient().GetStringAsync(".well-known/jwks"));
        Assert.All(jwks.Keys, key => Assert.Equal("RSA", key.Kty));
        foreach (var name in new[] { "access_token", "id_token" })
        {
            var jwt = new JsonWebToken(tokens.GetProperty(name).GetString()!);
            Assert.Equal("RS256", jwt.Alg);
            Assert.Contains(jwt.Kid, jwks.Keys.Select(k => k.Kid));
        }
        var discovery = await (await _server.CreatePlainClient().GetAsync(".well-known/openid-configuration")).JsonAsync();
        Assert.DoesNotContain("HS256", discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Refresh_ResignedWithAnotherKey_IsRefusedAndTheGenuineTokenStillWorks()
    {
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);
        var genuine = tokens.GetProperty("refresh_token").GetString()!;
        var otherKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = Credentials.ServerOnly.Kid };

        var forged = await _server.RefreshAsync(Resign(genuine, new SigningCredentials(otherKey, SecurityAlgorithms.HmacSha256)));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("invalid_grant", (await forged.JsonAsync()).GetProperty("error").GetString());
        // The same claims signed with the server's key pass: the refusal above was the signature and nothing else.
        var resigned = await _server.RefreshAsync(Resign(genuine, Credentials.ServerOnly));
        Assert.True(resigned.StatusCode == HttpStatusCode.OK, await resigned.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refresh_SignedWithTheRsaKeyAsBeforeHmacSigning_IsStillAccepted()
    {
        // Refresh tokens issued before codes and refresh tokens were HMAC-signed carry an RS256 signature.
        var user = await _server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, TestData.Password);

        var response = await _server.RefreshAsync(Resign(tokens.GetProperty("refresh_token").GetString()!, Credentials.Configured[0]));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private JsonWebToken Inner(string token)
    {
        var outer = _handler.ReadJsonWebToken(token);
        var inner = _handler.DecryptToken(outer, new TokenValidationParameters
        {
            TokenDecryptionKey = Credentials.Encryption[0].Key,
        });
        return new JsonWebToken(inner);
    }

    // The same claims and token types (outer and inner typ), signed with the given key and encrypted for the server.
    private string Resign(string token, SigningCredentials signing)
    {
        var inner = Inner(token);
        return _handler.CreateToken(
            Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(inner.EncodedPayload)),
            signing,
            Credentials.Encryption[0],
            CompressionAlgorithms.Deflate, // this overload needs one; decryption inflates it
            additionalHeaderClaims: new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = _handler.ReadJsonWebToken(token).Typ },
            additionalInnerHeaderClaims: new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = inner.Typ });
    }
}
