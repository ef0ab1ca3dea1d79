using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>Each statement of a refresh is a round trip to the database (a network hop on Neon): keep their number down.</summary>
public sealed class RefreshRoundTripTests
{
    [Fact]
    public async Task Refresh_OfAMemberWithProjectRoles_RunsFiveStatements()
    {
        await using var server = await StartLoggingStatementsAsync();
        var user = await server.CreateUserAsync();
        await server.WithServicesAsync(async services =>
        {
            var db = services.GetRequiredService<RuumDbContext>();
            var acme = await db.Set<Company>().SingleAsync(c => c.Name == DevelopmentSeed.AcmeCompany);
            var project = await db.Set<Project>().FirstAsync(p => p.CompanyId == acme.Id);
            var directory = services.GetRequiredService<TenancyDirectory>();
            await directory.SetCompanyRoleAsync(user.Id, acme.Id, RoleCatalogue.CompanyMember);
            await directory.SetProjectRoleAsync(user.Id, project.Id, RoleCatalogue.ProjectEditor);
        });
        var tokens = await new AuthorizationCodeFlow(server).GetTokensAsync(user.Email, TestData.Password);

        var before = Statements(server);
        var response = await server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = Jwt.Payload((await response.JsonAsync()).GetProperty("access_token").GetString()!);
        Assert.Equal(RoleCatalogue.ProjectEditor, claims.GetProperty("project_roles").EnumerateObject().Single().Value.GetString());
        // The token with its client and authorization; the user; their roles with permissions and their project roles
        // together; the redemption of the old token; the new one.
        Assert.Equal(5, Statements(server) - before);
    }

    [Fact]
    public async Task Refresh_RedeemingTheOldToken_WritesOnlyWhatChangedAndChecksItsVersion()
    {
        await using var server = await StartLoggingStatementsAsync();
        var user = await server.CreateUserAsync();
        var tokens = await new AuthorizationCodeFlow(server).GetTokensAsync(user.Email, TestData.Password);
        var before = server.Logs.Lines.Count;

        var response = await server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var update = Assert.Single(server.Logs.Lines.Skip(before), line => line.Contains("UPDATE \"OpenIddictTokens\"", StringComparison.Ordinal));
        var statement = Regex.Match(update, "UPDATE \"OpenIddictTokens\" SET (?<set>.*?)\\s+WHERE (?<where>[^;]*);", RegexOptions.Singleline);
        Assert.True(statement.Success, update);
        Assert.Equal(["ConcurrencyToken", "RedemptionDate", "Status"],
            Regex.Matches(statement.Groups["set"].Value, "\"(\\w+)\" = ").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.Contains("\"ConcurrencyToken\" = ", statement.Groups["where"].Value, StringComparison.Ordinal);
    }

    private static Task<RuumServer> StartLoggingStatementsAsync() => RuumServer.StartAsync(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    });

    private static int Statements(RuumServer server) => server.Logs.Lines.Count(line =>
        line.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal)
        && line.Contains("Executed DbCommand", StringComparison.Ordinal));
}
