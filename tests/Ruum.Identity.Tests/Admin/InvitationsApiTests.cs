using Ruum.Identity.Features.Notifications.Templates;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Onboarding;

namespace Ruum.Identity.Tests.Admin;

/// <summary><c>/api/admin/users/invitations</c>: invite, list, resend, revoke, and the inputs they refuse.</summary>
public sealed class InvitationsApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<HttpClient> AutomationAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    private Task<string> SnapshotAsync() => _server.WithDatabaseAsync(async db =>
        $"{await db.Set<User>().CountAsync()}|{await db.Set<Invitation>().CountAsync()}|{await db.Set<CompanyMembership>().CountAsync()}"
        + $"|{await db.Set<AuditEvent>().CountAsync(e => e.Type.StartsWith("admin.invitation"))}");

    [Fact]
    public async Task Invite_NewAddress_PendingUserInvitationAndMailButNoMembershipYet()
    {
        var company = await _server.CreateCompanyAsync("Obras <script>alert(1)</script>");
        var project = await TenancyApiTests.CreateProjectAsync(_server, company);
        var email = TestData.UniqueEmail("invited");

        var invitation = await _server.InviteAsync(email, company, "admin", project, "editor");

        Assert.Equal("pending", invitation.GetProperty("status").GetString());
        Assert.Equal("admin", invitation.GetProperty("role").GetString());
        Assert.Equal(project, invitation.GetProperty("projectId").GetString());
        Assert.True(invitation.GetProperty("emailSent").GetBoolean());
        var userId = invitation.GetProperty("userId").GetGuid();
        var stored = await _server.WithDatabaseAsync(db => db.Set<Invitation>().AsNoTracking().SingleAsync(i => i.UserId == userId));
        Assert.Equal(_server.Clock.GetUtcNow().AddDays(7), stored.ExpiresAt, TimeSpan.FromSeconds(1));
        var user = await _server.WithDatabaseAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.False(user.EmailVerified);
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().AnyAsync(m => m.UserId == userId)));
        var mail = Assert.Single(_server.MessagesTo(email));
        Assert.Equal(MailTemplates.InvitationSubject, mail.Subject);
        var token = _server.InvitationToken(email);
        Assert.Equal(stored.TokenHash, _server.Services.GetRequiredService<Ruum.Identity.Features.Otp.KeyedHasher>().Hash(Invitations.Purpose, token));
        Assert.DoesNotContain(token, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Obras &lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
        var created = Assert.Single(await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.Type == AuditEventTypes.AdminInvitationCreated && e.Details!.Contains(userId.ToString())).ToListAsync()));
        Assert.Contains("client:", created.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("fullwidth")]
    public async Task Invite_AddressOfAnExistingUserInAnotherCaseOrUnicodeForm_409AndNothingChanged(string form)
    {
        var existing = await _server.CreateUserAsync("a" + TestData.UniqueEmail("taken"));
        // U+FF41 (fullwidth a) folds to "a" under NFKC.
        var variant = form == "UPPER" ? existing.Email.ToUpperInvariant() : "\uFF41" + existing.Email[1..];
        var admin = await AutomationAsync();
        var before = await SnapshotAsync();

        var response = await admin.PostJsonAsync("api/admin/users/invitations", new { email = variant, displayName = "Someone" });

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already exists", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
        Assert.DoesNotContain(_server.MessagesTo(existing.Email), m => m.Subject == MailTemplates.InvitationSubject);
    }

    [Fact]
    public async Task Invite_UnknownRoleOrProjectRole_400NamingTheFieldAndNothingChanged()
    {
        var company = await _server.CreateCompanyAsync();
        var project = await TenancyApiTests.CreateProjectAsync(_server, company);
        var admin = await AutomationAsync();
        var before = await SnapshotAsync();

        var role = await admin.PostJsonAsync("api/admin/users/invitations",
            new { email = TestData.UniqueEmail(), displayName = "X", companyId = company, role = "emperor" });
        var projectRole = await admin.PostJsonAsync("api/admin/users/invitations",
            new { email = TestData.UniqueEmail(), displayName = "X", companyId = company, role = "member", projectId = project, projectRole = "owner" });
        var platformRole = await admin.PostJsonAsync("api/admin/users/invitations",
            new { email = TestData.UniqueEmail(), displayName = "X", companyId = company, role = RoleCatalogue.PlatformAdmin });

        Assert.True((await role.FieldErrorsAsync()).TryGetProperty("role", out _));
        Assert.True((await projectRole.FieldErrorsAsync()).TryGetProperty("projectRole", out _));
        Assert.True((await platformRole.FieldErrorsAsync()).TryGetProperty("role", out _));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Invite_AnotherCompanysProject_404AsAMissingProjectAndNothingChanged()
    {
        var company = await _server.CreateCompanyAsync();
        var otherProject = await TenancyApiTests.CreateProjectAsync(_server, await _server.CreateCompanyAsync());
        var admin = await AutomationAsync();
        var before = await SnapshotAsync();

        var other = await admin.PostJsonAsync("api/admin/users/invitations",
            new { email = TestData.UniqueEmail(), displayName = "X", companyId = company, role = "member", projectId = otherProject, projectRole = "viewer" });
        var missing = await admin.PostJsonAsync("api/admin/users/invitations",
            new { email = TestData.UniqueEmail(), displayName = "X", companyId = company, role = "member", projectId = "Zz9Zz9Zz9Z", projectRole = "viewer" });

        Assert.Equal((await missing.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString(),
            (await other.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Invite_BadEmailNameOrUnknownField_400AndNothingChanged()
    {
        var admin = await AutomationAsync();
        var before = await SnapshotAsync();

        var email = await admin.PostJsonAsync("api/admin/users/invitations", new { email = "not an address", displayName = "X" });
        var name = await admin.PostJsonAsync("api/admin/users/invitations", new { email = TestData.UniqueEmail(), displayName = "" });
        var unknown = await admin.SendJsonAsync(HttpMethod.Post, "api/admin/users/invitations",
            $$"""{"email":"{{TestData.UniqueEmail()}}","displayName":"X","isAdmin":true}""");

        Assert.True((await email.FieldErrorsAsync()).TryGetProperty("email", out _));
        Assert.True((await name.FieldErrorsAsync()).TryGetProperty("displayName", out _));
        Assert.True((await unknown.FieldErrorsAsync()).TryGetProperty("isAdmin", out _));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ResendThenRevoke_OldLinkDiesOnResend_RevokedLinkSaysSo()
    {
        var email = TestData.UniqueEmail("resend");
        var invitation = await _server.InviteAsync(email, await _server.CreateCompanyAsync());
        var id = invitation.GetProperty("id").GetGuid();
        var first = _server.InvitationToken(email);
        var admin = await AutomationAsync();

        var resent = await admin.PostAsync($"api/admin/users/invitations/{id}/resend", null);

        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal(2, _server.MessagesTo(email).Count);
        var second = _server.InvitationToken(email);
        Assert.NotEqual(first, second);
        var browser = _server.CreateBrowserLikeClient();
        Assert.Contains(WebUtility.HtmlEncode(Ruum.Identity.Features.Onboarding.AcceptInvitationModel.UnknownLink),
            await (await browser.OpenInvitationAsync(first)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var revoked = await admin.DeleteAsync($"api/admin/users/invitations/{id}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var page = await browser.OpenInvitationAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(Ruum.Identity.Features.Onboarding.AcceptInvitationModel.RevokedLink, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var list = await (await admin.GetAsync("api/admin/users/invitations?limit=200&companyId=" + invitation.GetProperty("companyId").GetGuid())).JsonAsync();
        Assert.Equal("revoked", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(3, await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().CountAsync(e => e.Type.StartsWith("admin.invitation") && e.Details!.Contains(id.ToString()))));
    }

    [Fact]
    public async Task CompanyAdmin_InvitesIntoOwnCompanyOnly_ListsOnlyItsInvitations_AndMayNotInviteAnOwner()
    {
        var own = await _server.CreateCompanyAsync();
        var other = await _server.CreateCompanyAsync();
        var companyAdmin = await _server.CreateCompanyUserAsync(own, RoleCatalogue.CompanyAdmin);
        var client = _server.AdminHttp(await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), companyAdmin.Email));
        await _server.InviteAsync(TestData.UniqueEmail(), other);
        var before = await SnapshotAsync();

        var intoOther = await client.PostJsonAsync("api/admin/users/invitations", new { email = TestData.UniqueEmail(), displayName = "X", companyId = other, role = "member" });
        var withoutCompany = await client.PostJsonAsync("api/admin/users/invitations", new { email = TestData.UniqueEmail(), displayName = "X" });
        var asOwner = await client.PostJsonAsync("api/admin/users/invitations", new { email = TestData.UniqueEmail(), displayName = "X", companyId = own, role = "owner" });

        await intoOther.ProblemAsync(HttpStatusCode.NotFound);
        Assert.True((await withoutCompany.FieldErrorsAsync()).TryGetProperty("companyId", out _));
        await asOwner.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await SnapshotAsync());

        await _server.InviteAsync(TestData.UniqueEmail(), own, admin: client);
        var listed = await (await client.GetAsync("api/admin/users/invitations")).JsonAsync();
        Assert.All(listed.GetProperty("items").EnumerateArray(), i => Assert.Equal(own, i.GetProperty("companyId").GetGuid()));
        Assert.Single(listed.GetProperty("items").EnumerateArray());
    }
}
