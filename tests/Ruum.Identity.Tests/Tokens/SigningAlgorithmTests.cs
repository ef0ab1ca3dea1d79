using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

public sealed class SigningAlgorithmTests
{
    [Fact]
    public async Task EcKeyConfiguredFirst_Always_SignsEs256AndPublishesBothKeys()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Signing:Keys:0:Pem"] = ec.ExportPkcs8PrivateKeyPem(),
            ["Ruum:Signing:Keys:1:Pem"] = rsa.ExportPkcs8PrivateKeyPem(),
        });

        var token = (await server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;

        var jwks = new JsonWebKeySet(await server.CreatePlainClient().GetStringAsync(".well-known/jwks"));
        Assert.Equal(["EC", "RSA"], jwks.Keys.Select(k => k.Kty).Order(StringComparer.Ordinal));
        var jwt = new JsonWebToken(token);
        Assert.Equal("ES256", jwt.Alg);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = server.BaseAddress.ToString(),
            ValidAudience = "ruum-api",
            IssuerSigningKeys = jwks.Keys.Where(k => k.Kty == "EC"),
            ValidTypes = ["at+jwt"],
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.True((await server.IntrospectAsync(token)).GetProperty("active").GetBoolean());
    }
}
