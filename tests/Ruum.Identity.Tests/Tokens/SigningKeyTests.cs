using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

public sealed class SigningKeyTests
{
    [Fact]
    public async Task DevelopmentKeys_SurviveARestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ruum-keys-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Ruum:Signing:Keys:0:Pem"] = null,
            ["Ruum:Signing:EncryptionKey"] = null,
            ["Ruum:Signing:DevelopmentKeyFolder"] = folder,
        };
        var server = await RuumServer.StartAsync(settings);
        var first = await server.CreatePlainClient().GetStringAsync(".well-known/jwks");
        await server.DisposeAsync();
        await using var restarted = RuumServer.Restart(server, settings);
        var second = await restarted.CreatePlainClient().GetStringAsync(".well-known/jwks");

        Assert.Equal(first, second);
        Assert.False(File.Exists(Path.Combine(folder, "signing-rsa.pem"))); // the signing keys live in the database
        Assert.True(File.Exists(Path.Combine(folder, "encryption.key")));
    }

    [Fact]
    public async Task SigningKey_P384LabelledES384_SignsTokensThatItsJwksKeyVerifies()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Signing:Keys:0:Pem"] = ec.ExportPkcs8PrivateKeyPem(),
            ["Ruum:Signing:Keys:0:Algorithm"] = "ES384",
        });

        var token = (await server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await server.CreatePlainClient().GetStringAsync(".well-known/jwks"));

        Assert.Equal("ES384", Jwt.Header(token).GetProperty("alg").GetString());
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidateIssuer = false,
            ValidateAudience = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task ConfiguredIssuer_IsUsedWhateverTheRequestHost()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Ruum:Tokens:Issuer"] = "https://id.ruum.example/" });

        var document = await (await server.CreatePlainClient().GetAsync(".well-known/openid-configuration")).JsonAsync();

        var token = (await server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;

        Assert.Equal("https://id.ruum.example/", document.GetProperty("issuer").GetString());
        Assert.Equal("https://id.ruum.example/", new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Issuer);
    }
}
