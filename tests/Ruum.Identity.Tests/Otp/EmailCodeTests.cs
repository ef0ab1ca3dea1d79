using System.Net;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Otp;

public sealed class EmailCodeTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task EmailCode_Correct_IssuesTokensSayingPwdMfaAndEmailAcr()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);

        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);

        foreach (var name in new[] { "id_token", "access_token" })
        {
            var payload = SecondStep.JwtPayload(tokens.GetProperty(name).GetString()!);
            Assert.Equal(["pwd", "mfa"], SecondStep.Amr(payload));
            Assert.Equal(SecondFactorFacts.EmailCodeContext, payload.GetProperty("acr").GetString());
            Assert.True(payload.TryGetProperty("auth_time", out _));
        }
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.CodeVerified));
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInSucceeded));
    }
}
