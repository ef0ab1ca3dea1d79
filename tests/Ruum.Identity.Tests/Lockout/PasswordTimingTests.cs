using System.Net;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Lockout;

/// <summary>A wrong password must not reveal, by the database work it causes, whether the email belongs to an account.</summary>
public sealed class PasswordTimingTests
{
    [Fact]
    public async Task WrongPassword_UnknownEmail_RunsTheSameStatementsAsForAKnownOne()
    {
        await using var server = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
        });
        var user = await server.CreateUserAsync();

        for (var round = 0; round < 2; round++)
        {
            var known = await StatementsOfWrongPasswordAsync(server, user.Email);
            var unknown = await StatementsOfWrongPasswordAsync(server, "nobody-" + Guid.NewGuid().ToString("N") + "@ruum.test");

            Assert.NotEmpty(known);
            Assert.Equal(known, unknown);
            // Past the growing delay, so the next known attempt is judged (and counted) again.
            server.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(2, (await Otp.SecondStep.LockoutOfAsync(server, user.Id))!.FailedPasswords);
    }

    /// <summary>The SQL text (no values) of each statement the password post ran, in order.</summary>
    private static async Task<List<string>> StatementsOfWrongPasswordAsync(RuumServer server, string email)
    {
        var flow = new AuthorizationCodeFlow(server);
        var page = await flow.Browser.GetAsync("account/login");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "not-the-password-" + Guid.NewGuid().ToString("N"),
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        });
        var before = server.Logs.Lines.Count;
        var response = await flow.Browser.PostAsync("account/login", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. server.Logs.Lines.Skip(before)
            .Where(line => line.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal)
                && line.Contains("Executed DbCommand", StringComparison.Ordinal))
            .Select(Sql)];
    }

    private static string Sql(string line)
    {
        var text = line[line.IndexOf("CommandTimeout", StringComparison.Ordinal)..];
        text = text[(text.IndexOf(']', StringComparison.Ordinal) + 1)..];
        return text[..text.IndexOf(" | ", StringComparison.Ordinal)].Trim();
    }
}
