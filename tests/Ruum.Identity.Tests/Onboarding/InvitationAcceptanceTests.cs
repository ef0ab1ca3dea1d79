using Ruum.Identity.Features.Otp;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Onboarding;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Onboarding;

/// <summary>/account/invitation: a name and a password, the sign-in's second-factor step, then the memberships.</summary>
public sealed class InvitationAcceptanceTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private Task<string> SnapshotAsync(Guid userId) => SnapshotAsync(_server, userId);

    private static Task<string> SnapshotAsync(RuumServer server, Guid userId) => server.WithDatabaseAsync(async db =>
    {
        var user = await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == userId);
        var invitation = await db.Set<Invitation>().AsNoTracking().SingleAsync(i => i.UserId == userId);
        var memberships = await db.Set<CompanyMembership>().CountAsync(m => m.UserId == userId);
        return $"{user.PasswordHash}|{user.DisplayName}|{user.EmailVerified}|{user.SecurityStamp}|{invitation.AcceptedAt}|{invitation.CompletedAt}|{memberships}";
    });

    private Task<(string Email, Guid UserId, Guid CompanyId, string Token)> InviteAsync() => InviteAsync(_server);

    private static async Task<(string Email, Guid UserId, Guid CompanyId, string Token)> InviteAsync(RuumServer server)
    {
        var email = TestData.UniqueEmail("invited");
        var company = await server.CreateCompanyAsync();
        var invitation = await server.InviteAsync(email, company, RoleCatalogue.CompanyMember);
        return (email, invitation.GetProperty("userId").GetGuid(), company, server.InvitationToken(email));
    }

    [Fact]
    public async Task Accept_NameAndPasswordThenEmailedCode_MembershipActiveOnlyAfterTheSecondFactorAndEmailVerified()
    {
        var (email, userId, company, token) = await InviteAsync();
        var flow = new AuthorizationCodeFlow(_server);

        var page = await flow.Browser.OpenInvitationAsync(token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        var accepted = await flow.Browser.AcceptAsync(token);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/account/otp", accepted.Headers.Location?.OriginalString);
        // The password is set and the link spent, but the membership waits for the second factor.
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().AnyAsync(m => m.UserId == userId)));
        var otp = await flow.Browser.GetAsync("account/otp");
        var done = await flow.FollowAsync(await flow.PostOtpAsync(otp, await flow.SecondFactorCodeAsync(email)));

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(CompleteInvitationModel.Path, done.RequestMessage!.RequestUri!.AbsolutePath);
        var role = await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().Where(m => m.UserId == userId && m.CompanyId == company)
            .Join(db.Set<Role>(), m => m.RoleId, r => r.Id, (m, r) => r.Name).SingleAsync());
        Assert.Equal(RoleCatalogue.CompanyMember, role);
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(email, InvitationPages.Password);
        var idToken = Jwt.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.True(idToken.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Ana García", idToken.GetProperty("name").GetString());
        Assert.Single(await _server.AuditOfAsync(userId, AuditEventTypes.InvitationCompleted));
        Assert.DoesNotContain(_server.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Accept_LeftBeforeTheSecondFactor_AnOrdinaryLaterSignInActivatesTheMembership()
    {
        var (email, userId, company, token) = await InviteAsync();
        var accepted = await new AuthorizationCodeFlow(_server).Browser.AcceptAsync(token);
        Assert.Equal("/account/otp", accepted.Headers.Location?.OriginalString);
        // The invitee closes the tab here, then comes back through an application's sign-in.

        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(email, InvitationPages.Password);

        var role = await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().Where(m => m.UserId == userId && m.CompanyId == company)
            .Join(db.Set<Role>(), m => m.RoleId, r => r.Id, (m, r) => r.Name).SingleOrDefaultAsync());
        Assert.Equal(RoleCatalogue.CompanyMember, role);
        Assert.Equal(company.ToString(), Jwt.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("company_id").GetString());
        Assert.Single(await _server.AuditOfAsync(userId, AuditEventTypes.InvitationCompleted));
    }

    [Fact]
    public async Task Accept_InvitedByAnAuthenticatorOnlyCompany_EnrolsAnAppAndNoCodeIsMailed()
    {
        var (email, userId, company, token) = await InviteAsync();
        await _server.WithDatabaseAsync(db => db.Set<Company>().Where(c => c.Id == company)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.RequireAuthenticator, true)));
        var flow = new AuthorizationCodeFlow(_server) { PassSecondFactorAutomatically = false };
        var mailsBefore = _server.MessagesTo(email).Count;

        var accepted = await flow.Browser.AcceptAsync(token);
        var next = await flow.FollowAsync(accepted);

        Assert.Equal(SecondFactorSignIn.EnrolmentPage, next.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(mailsBefore, _server.MessagesTo(email).Count);
        Assert.Empty(await _server.AuditOfAsync(userId, AuditEventTypes.CodeSent));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().AnyAsync(m => m.UserId == userId)));
    }

    [Fact]
    public async Task Accept_LinkUsedTwice_SaysUsedAndChangesNothing()
    {
        var (email, userId, _, token) = await InviteAsync();
        await new AuthorizationCodeFlow(_server).AcceptAndSignInAsync(token, email);
        var before = await SnapshotAsync(userId);
        var browser = _server.CreateBrowserLikeClient();

        var page = await browser.OpenInvitationAsync(token);
        var again = await browser.AcceptAsync(token, "Another-Long-Passphrase-77", pageToken: token);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(AcceptInvitationModel.UsedLink, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains(AcceptInvitationModel.UsedLink, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(userId));
    }

    [Fact]
    public async Task Accept_After7Days_SaysExpiredAndChangesNothing()
    {
        // Its own server: seven days on the shared clock would age every other test's data.
        await using var server = await RuumServer.StartAsync();
        var (_, userId, _, token) = await InviteAsync(server);
        var before = await SnapshotAsync(server, userId);
        server.Clock.Advance(Invitation.Lifetime + TimeSpan.FromSeconds(1));
        var browser = server.CreateBrowserLikeClient();

        var page = await browser.OpenInvitationAsync(token);
        var posted = await browser.AcceptAsync(token);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(AcceptInvitationModel.ExpiredLink, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal(before, await SnapshotAsync(server, userId));
    }

    [Fact]
    public async Task Accept_LinkAlteredByOneCharacter_SaysNotValidAndChangesNothing()
    {
        var (_, userId, _, token) = await InviteAsync();
        var altered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var before = await SnapshotAsync(userId);
        var browser = _server.CreateBrowserLikeClient();

        var page = await browser.OpenInvitationAsync(altered);
        var posted = await browser.AcceptAsync(altered);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(AcceptInvitationModel.UnknownLink, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal(before, await SnapshotAsync(userId));
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenInvitationAsync(token)).StatusCode);
    }

    [Theory]
    [InlineData("short-11chr", "TooShort")]
    [InlineData("Password1234", "Common")]
    [InlineData("ruumruumruum", "Product")]
    [InlineData("            ", "OnlySpaces")]
    public async Task Accept_PasswordThatBreaksTheRules_ClearMessageAndNothingChanged(string password, string rule)
    {
        var (_, userId, _, token) = await InviteAsync();
        var before = await SnapshotAsync(userId);
        var browser = _server.CreateBrowserLikeClient();

        var response = await browser.AcceptAsync(token, password);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var expected = rule switch
        {
            "TooShort" => NewPasswordRules.TooShort(12),
            "Common" => NewPasswordRules.Common,
            "Product" => NewPasswordRules.ProductName,
            _ => NewPasswordRules.OnlySpaces,
        };
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(expected), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(userId));
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenInvitationAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Accept_PasswordContainingTheEmail_ClearMessageAndNothingChanged()
    {
        var (email, userId, _, token) = await InviteAsync();
        var before = await SnapshotAsync(userId);

        var response = await _server.CreateBrowserLikeClient().AcceptAsync(token, email);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(NewPasswordRules.Personal), await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(userId));
    }

    [Fact]
    public async Task Accept_WithoutAntiforgeryToken_RefusedAndNothingChanged()
    {
        var (_, userId, _, token) = await InviteAsync();
        var before = await SnapshotAsync(userId);

        var response = await _server.CreateBrowserLikeClient().PostAsync("account/invitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["Input.DisplayName"] = "Mallory",
            ["Input.NewPassword"] = InvitationPages.Password,
            ["Input.ConfirmPassword"] = InvitationPages.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await SnapshotAsync(userId));
    }
}
