using Ruum.Identity.Infrastructure.Monitoring;

namespace Ruum.Identity.Tests.Hosting;

public sealed class SecretScrubberTests
{
    [Theory]
    [InlineData("GET /connect/authorize?client_id=spa&code=abc123&state=s1", "abc123")]
    [InlineData("redirect to https://app.example/cb?code=abc123", "abc123")]
    [InlineData("password=hunter22&Input.Password=hunter23", "hunter2")]
    [InlineData("client_secret=s3cr3t", "s3cr3t")]
    [InlineData("{\"refresh_token\": \"rt-value\", \"token_type\": \"Bearer\"}", "rt-value")]
    [InlineData("Authorization: Bearer abc.def-ghi", "abc.def-ghi")]
    [InlineData("Authorization: Basic ZGV2OnNlY3JldA==", "ZGV2OnNlY3JldA")]
    [InlineData("returnUrl=%2Fconnect%2Fauthorize%3Fotp%3D123456%26x%3D1", "123456")]
    [InlineData("url: https://x.example/?password=inside", "inside")]
    [InlineData("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl", "eyJzdWIiOiIxMjMifQ")]
    [InlineData("Input.Code=654321", "654321")]
    [InlineData("Ruum__Signing__EncryptionKey=c2VjcmV0a2V5", "c2VjcmV0a2V5")]
    [InlineData("Host=db.example;Password=pg-pass;SSL Mode=Require", "pg-pass")]
    [InlineData("in TokenEndpoint.cs:line 12 with token:abc and Cookie:a=b", "abc")]
    [InlineData("in TokenEndpoint.cs:line 12 with token:abc and Cookie:a=b", "a=b")]
    public void Scrub_TextWithSecret_RemovesIt(string text, string secret)
    {
        var scrubbed = SecretScrubber.Scrub(text);

        Assert.DoesNotContain(secret, scrubbed, StringComparison.Ordinal);
        Assert.Contains(SecretScrubber.Filtered, scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Request finished HTTP/1.1 GET http://localhost/account/login - 200")]
    [InlineData("client_id=dev-spa&scope=openid&state=xyz")]
    [InlineData("StatusCode=404")]
    [InlineData("at Ruum.Identity.Features.Tokens.TokensSetup.AddRuumTokens() in /src/Features/Tokens/TokensSetup.cs:line 107")]
    [InlineData("at PasswordGuard.JudgeAsync() in /src/Features/Lockout/PasswordGuard.cs:line 23")]
    public void Scrub_TextWithoutSecret_LeavesItAlone(string text) => Assert.Equal(text, SecretScrubber.Scrub(text));
}
