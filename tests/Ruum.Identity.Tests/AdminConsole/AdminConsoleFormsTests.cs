using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Notifications.Templates;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Onboarding;

namespace Ruum.Identity.Tests.AdminConsole;

/// <summary>
/// The console's invitation, security-policy and scope forms and their bad inputs, as a browser without script sends
/// them (real HTTP, cookies, anti-forgery): each refusal says why and changes nothing.
/// </summary>
public sealed partial class AdminConsoleFormsTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private const string Script = "<script>alert('x')</script>";
    private const string EscapedScript = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;";

    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task CompanyAdmin_OpensAnotherCompanysInvitationsOrPolicyByUrl_Gets404AndChangesNothing()
    {
        var own = await _server.CreateCompanyAsync();
        var other = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(own, RoleCatalogue.CompanyAdmin);
        var ownInvitation = (await _server.InviteAsync(TestData.UniqueEmail("own"), own)).GetProperty("id").GetGuid();
        var otherEmail = TestData.UniqueEmail("other");
        var otherInvitation = (await _server.InviteAsync(otherEmail, other)).GetProperty("id").GetGuid();
        var flow = await _server.SignedInAsync(admin.Email);
        // The same pages of the admin's own company open: the 404s below are about the company, not missing pages.
        foreach (var path in new[] { $"admin/users/invitations/{ownInvitation}/revoke", $"admin/companies/{own}/policy", $"admin/users/invite?company={own}", $"admin/users/invitations?company={own}" })
        {
            Assert.True((await flow.Browser.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
        }
        var before = await SnapshotAsync(other, otherInvitation);

        foreach (var path in new[]
        {
            $"admin/users/invitations/{otherInvitation}/revoke", $"admin/companies/{other}/policy", $"admin/users/invite?company={other}",
            $"admin/users/invitations?company={other}", $"admin/companies/{Guid.NewGuid()}/policy", $"admin/users/invitations/{Guid.NewGuid()}/revoke",
        })
        {
            var response = await flow.Browser.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(otherEmail, await (await flow.Browser.GetAsync("admin/users/invitations")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Posting with a valid anti-forgery token (from an own page) changes nothing of the other company either.
        var token = await TokenAsync(flow, $"admin/companies/{own}/policy");
        var posts = new (string Path, Dictionary<string, string> Form)[]
        {
            ($"admin/users/invitations/{otherInvitation}/revoke", new() { ["Confirmed"] = "true" }),
            ("admin/users/invitations?handler=Resend", new() { ["invitationId"] = otherInvitation.ToString() }),
            ($"admin/companies/{other}/policy", new() { ["SecondFactors"] = "authenticator", ["TrustedDevices"] = "false", ["MaxSessionMinutes"] = "60" }),
            ($"admin/users/invite?company={other}", new() { ["Email"] = TestData.UniqueEmail("forged"), ["DisplayName"] = "Forged", ["Role"] = "member" }),
        };
        foreach (var (path, form) in posts)
        {
            form["__RequestVerificationToken"] = token;
            var response = await flow.Browser.PostAsync(path, new FormUrlEncodedContent(form));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"POST {path}: {response.StatusCode}");
        }
        Assert.Equal(before, await SnapshotAsync(other, otherInvitation));
        Assert.Single(_server.MessagesTo(otherEmail));
    }

    [Fact]
    public async Task FormsWithoutTheirAntiforgeryToken_AreRefused_NothingChanges()
    {
        var companyId = await _server.CreateCompanyAsync();
        var admin = await _server.CreatePlatformAdminAsync();
        var email = TestData.UniqueEmail("pending");
        var invitation = (await _server.InviteAsync(email, companyId)).GetProperty("id").GetGuid();
        var scope = await CreateScopeAsync("Reports");
        var flow = await _server.SignedInAsync(admin.Email);
        var policyVersion = HiddenVersion(await (await flow.Browser.GetAsync($"admin/companies/{companyId}/policy")).Content.ReadAsStringAsync());
        var scopeVersion = HiddenVersion(await (await flow.Browser.GetAsync($"admin/scopes/{scope}")).Content.ReadAsStringAsync());
        var before = await SnapshotAsync(companyId, invitation) + await ScopeAsync(scope);

        var posts = new (string Path, Dictionary<string, string> Form)[]
        {
            ($"admin/users/invite?company={companyId}", new() { ["Email"] = TestData.UniqueEmail("forged"), ["DisplayName"] = "Forged", ["Role"] = "member" }),
            ($"admin/users/invitations/{invitation}/revoke", new() { ["Confirmed"] = "true" }),
            ("admin/users/invitations?handler=Resend", new() { ["invitationId"] = invitation.ToString() }),
            ($"admin/companies/{companyId}/policy", new() { ["SecondFactors"] = "authenticator", ["TrustedDevices"] = "false", ["Version"] = policyVersion }),
            ($"admin/scopes/{scope}", new() { ["DisplayName"] = "Forged", ["Resources"] = "forged-api", ["Version"] = scopeVersion }),
            ($"admin/scopes/{scope}/delete", new() { ["Confirmed"] = "true", ["Version"] = scopeVersion }),
        };
        foreach (var (path, form) in posts)
        {
            var response = await flow.Browser.PostAsync(path, new FormUrlEncodedContent(form));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path}: {response.StatusCode}");
        }
        Assert.Equal(before, await SnapshotAsync(companyId, invitation) + await ScopeAsync(scope));
        Assert.Single(_server.MessagesTo(email));
    }

    [Fact]
    public async Task RevokeAndDeletePostedWithoutTheConfirmationField_ChangeNothing_ThenConfirmedTheyDo()
    {
        var companyId = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyAdmin);
        var platform = await _server.CreatePlatformAdminAsync();
        var email = TestData.UniqueEmail("revoked");
        var invitation = (await _server.InviteAsync(email, companyId)).GetProperty("id").GetGuid();
        var link = _server.InvitationToken(email);
        var flow = await _server.SignedInAsync(admin.Email);
        var page = await (await flow.Browser.GetAsync($"admin/users/invitations/{invitation}/revoke")).Content.ReadAsStringAsync();
        Assert.Contains("stops working at once", page, StringComparison.Ordinal);

        var direct = await flow.PostFormAsync($"admin/users/invitations/{invitation}/revoke", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
        Assert.Contains("Nothing was changed: tick the box to confirm.", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await RevokedAtAsync(invitation));
        Assert.Equal(HttpStatusCode.OK, (await _server.CreateBrowserLikeClient().OpenInvitationAsync(link)).StatusCode);

        var confirmed = await flow.PostFormAsync($"admin/users/invitations/{invitation}/revoke", new Dictionary<string, string> { ["Confirmed"] = "true" });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("its link no longer works", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await RevokedAtAsync(invitation));
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.CreateBrowserLikeClient().OpenInvitationAsync(link)).StatusCode);

        var scope = await CreateScopeAsync("To delete");
        var staff = await _server.SignedInAsync(platform.Email);
        var version = HiddenVersion(await (await staff.Browser.GetAsync($"admin/scopes/{scope}/delete")).Content.ReadAsStringAsync());
        var unconfirmed = await staff.PostFormAsync($"admin/scopes/{scope}/delete", new Dictionary<string, string> { ["Version"] = version });
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("Nothing was changed: tick the box to confirm.", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual("", await ScopeAsync(scope));

        var deleted = await staff.PostFormAsync($"admin/scopes/{scope}/delete", new Dictionary<string, string> { ["Version"] = version, ["Confirmed"] = "true" });
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("", await ScopeAsync(scope));
    }

    [Fact]
    public async Task Resend_FromTheInvitationsList_MailsANewLinkAndTheOldOneDies()
    {
        var companyId = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyAdmin);
        var email = TestData.UniqueEmail("resent");
        var invitation = (await _server.InviteAsync(email, companyId)).GetProperty("id").GetGuid();
        var first = _server.InvitationToken(email);
        var flow = await _server.SignedInAsync(admin.Email);
        var list = await (await flow.Browser.GetAsync($"admin/users/invitations?company={companyId}")).Content.ReadAsStringAsync();
        Assert.Contains($"data-invitation-id=\"{invitation}\"", list, StringComparison.Ordinal);

        var resent = await flow.Browser.PostAsync("admin/users/invitations?handler=Resend", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["invitationId"] = invitation.ToString(),
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(list),
        }));

        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Contains($"A new link was mailed to {email}. The previous link no longer works.", await resent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, _server.MessagesTo(email).Count(m => m.Subject == MailTemplates.InvitationSubject));
        var second = _server.InvitationToken(email);
        Assert.NotEqual(first, second);
        var browser = _server.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.OpenInvitationAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenInvitationAsync(second)).StatusCode);
    }

    [Fact]
    public async Task Invite_ExistingAddressOrUnknownRoleOrBadEmail_ClearMessageNextToTheField_NothingStored()
    {
        var companyId = await _server.CreateCompanyAsync();
        var projectId = await _server.CreateProjectAsync(companyId, "Torre Oeste");
        var admin = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyAdmin);
        var existing = await _server.CreateUserAsync();
        var flow = await _server.SignedInAsync(admin.Email);
        var path = $"admin/users/invite?company={companyId}";
        var before = await CountsAsync();

        var taken = await flow.PostFormAsync(path, new Dictionary<string, string> { ["Email"] = existing.Email.ToUpperInvariant(), ["DisplayName"] = "Someone", ["Role"] = "member" });
        var html = await taken.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Matches("<div class=\"field-error\" id=\"invite-email-error\">An account with this email already exists", html);
        Assert.Matches("id=\"invite-email\"[^>]*aria-describedby=\"invite-email-error\" aria-invalid=\"true\"", html);
        Assert.Contains("Nothing was saved: correct the fields marked below.", html, StringComparison.Ordinal);

        var unknownRole = await flow.PostFormAsync(path, new Dictionary<string, string> { ["Email"] = TestData.UniqueEmail("role"), ["DisplayName"] = "Someone", ["Role"] = "superuser" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownRole.StatusCode);
        Assert.Matches("id=\"invite-role-error\">Name a company role of the catalogue", await unknownRole.Content.ReadAsStringAsync());

        var unknownProjectRole = await flow.PostFormAsync(path, new Dictionary<string, string>
        {
            ["Email"] = TestData.UniqueEmail("project-role"), ["DisplayName"] = "Someone", ["Role"] = "member", ["ProjectId"] = projectId, ["ProjectRole"] = "owner",
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknownProjectRole.StatusCode);
        Assert.Matches("id=\"invite-project-role-error\">Name a project role of the catalogue", await unknownProjectRole.Content.ReadAsStringAsync());

        var badEmail = await flow.PostFormAsync(path, new Dictionary<string, string> { ["Email"] = "not an address", ["DisplayName"] = "", ["Role"] = "member" });
        var badHtml = await badEmail.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Matches("id=\"invite-email-error\">A single email address", badHtml);
        Assert.Matches("id=\"invite-name-error\">1 to 200 characters", badHtml);

        var owner = await flow.PostFormAsync(path, new Dictionary<string, string> { ["Email"] = TestData.UniqueEmail("owner"), ["DisplayName"] = "Someone", ["Role"] = "owner" });
        Assert.Equal(HttpStatusCode.Forbidden, owner.StatusCode);
        Assert.Matches("id=\"invite-role-error\">Only an owner of the company or a platform admin invites an owner.", await owner.Content.ReadAsStringAsync());

        Assert.Equal(before, await CountsAsync());
        Assert.DoesNotContain(_server.MessagesTo(existing.Email), m => m.Subject == MailTemplates.InvitationSubject);
    }

    [Fact]
    public async Task PolicyForm_SavedThenStale_StaleFormSaysSoAndOverwritesNothing()
    {
        var companyId = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyAdmin);
        var flow = await _server.SignedInAsync(admin.Email);
        var path = $"admin/companies/{companyId}/policy";
        var version = HiddenVersion(await (await flow.Browser.GetAsync(path)).Content.ReadAsStringAsync());

        var saved = await flow.PostFormAsync(path, new Dictionary<string, string>
        {
            ["SecondFactors"] = "authenticator", ["TrustedDevices"] = "false", ["MaxSessionMinutes"] = "480", ["Version"] = version,
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("The policy was saved.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("True|True|480", await PolicyAsync(companyId));

        // The form that was shown with the first version comes back after the change: it must not undo it.
        var stale = await flow.PostFormAsync(path, new Dictionary<string, string>
        {
            ["SecondFactors"] = "any", ["TrustedDevices"] = "true", ["MaxSessionMinutes"] = "", ["Version"] = version,
        });
        var html = await stale.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("Someone changed this meanwhile: nothing was saved.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"480\"", html, StringComparison.Ordinal);
        Assert.Equal("True|True|480", await PolicyAsync(companyId));

        var withoutVersion = await flow.PostFormAsync(path, new Dictionary<string, string> { ["SecondFactors"] = "any", ["TrustedDevices"] = "true" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, withoutVersion.StatusCode);
        var current = HiddenVersion(html);
        var notANumber = await flow.PostFormAsync(path, new Dictionary<string, string>
        {
            ["SecondFactors"] = "any", ["TrustedDevices"] = "true", ["MaxSessionMinutes"] = "a week", ["Version"] = current,
        });
        var invalid = await notANumber.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Matches("id=\"max-session-minutes-error\">From 5 to 10080 minutes", invalid);
        Assert.Matches("aria-describedby=\"max-session-minutes-hint max-session-minutes-error\" aria-invalid=\"true\"", invalid);
        var unchosen = await flow.PostFormAsync(path, new Dictionary<string, string> { ["MaxSessionMinutes"] = "3", ["Version"] = current });
        var unchosenHtml = await unchosen.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, unchosen.StatusCode);
        Assert.Contains("id=\"second-factors-error\">Required", unchosenHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"max-session-minutes-error\">From 5 to 10080 minutes", unchosenHtml, StringComparison.Ordinal);
        Assert.Equal("True|True|480", await PolicyAsync(companyId));
    }

    [Fact]
    public async Task ScopeForm_EditsWithItsVersion_StaleOrInvalidChangesNothing()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var scope = await CreateScopeAsync("Reports");
        var flow = await _server.SignedInAsync(admin.Email);
        var path = $"admin/scopes/{scope}";
        var version = HiddenVersion(await (await flow.Browser.GetAsync(path)).Content.ReadAsStringAsync());

        var invalid = await flow.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = "Reports", ["Resources"] = "", ["Version"] = version });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Matches("id=\"scope-resources-error\">Name at least one audience", await invalid.Content.ReadAsStringAsync());
        var before = await ScopeAsync(scope);

        var saved = await flow.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = "Monthly reports", ["Resources"] = "reports-api ledger-api", ["Version"] = version });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("The scope was saved.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await ScopeAsync(scope);
        Assert.NotEqual(before, after);
        Assert.Contains("Monthly reports", after, StringComparison.Ordinal);
        Assert.Contains("ledger-api", after, StringComparison.Ordinal);

        var stale = await flow.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = "Stale", ["Resources"] = "stale-api", ["Version"] = version });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("Someone changed this meanwhile: nothing was saved.", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(after, await ScopeAsync(scope));
        Assert.Equal(HttpStatusCode.NotFound, (await flow.Browser.GetAsync("admin/scopes/no.such.scope")).StatusCode);
    }

    [Fact]
    public async Task ScriptInScopeInvitationOrCompanyNames_IsShownAsText()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var companyId = await _server.CreateCompanyAsync(Script);
        var scope = await CreateScopeAsync(Script);
        var email = TestData.UniqueEmail("xss");
        var invitation = (await _server.InviteAsync(email, companyId)).GetProperty("id").GetGuid();
        await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, Script)));
        var flow = await _server.SignedInAsync(admin.Email);

        foreach (var path in new[]
        {
            $"admin/scopes/{scope}", $"admin/scopes/{scope}/delete", "admin/scopes?limit=200", $"admin/users/invitations?company={companyId}",
            $"admin/users/invitations/{invitation}/revoke", $"admin/companies/{companyId}/policy", $"admin/users/invite?company={companyId}",
        })
        {
            var response = await flow.Browser.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
            Assert.Contains(EscapedScript, html, StringComparison.Ordinal);
        }
        // A name the create form cannot take: refused next to the field, not echoed as markup.
        var created = await flow.PostFormAsync("admin/scopes", new Dictionary<string, string> { ["Name"] = Script, ["Resources"] = "x-api" });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.DoesNotContain(Script, await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewPages_InSpanish_SpeakSpanishAndSoDoTheirFieldMessages()
    {
        var companyId = await _server.CreateCompanyAsync();
        var admin = await _server.CreatePlatformAdminAsync();
        var invitation = (await _server.InviteAsync(TestData.UniqueEmail("es"), companyId)).GetProperty("id").GetGuid();
        var existing = await _server.CreateUserAsync();
        var scope = await CreateScopeAsync("Informes");
        var flow = await _server.SignedInAsync(admin.Email);

        foreach (var (path, text) in new[]
        {
            ("admin/users", "Invitaciones"), ("admin/users/invitations", "Invitar a una persona"), ($"admin/users/invite?company={companyId}", "Enviar la invitación"),
            ($"admin/users/invitations/{invitation}/revoke", "Revocar la invitación"), ($"admin/companies/{companyId}", "Política de seguridad"),
            ($"admin/companies/{companyId}/policy", "Guardar la política"), ($"admin/scopes/{scope}", "El nombre no puede cambiar"),
            ($"admin/scopes/{scope}/delete", "Eliminar el ámbito"),
        })
        {
            var html = System.Net.WebUtility.HtmlDecode(await SpanishAsync(flow, HttpMethod.Get, path));
            Assert.True(html.Contains(text, StringComparison.Ordinal), $"{path}: no '{text}'");
        }
        var form = await SpanishAsync(flow, HttpMethod.Get, $"admin/users/invite?company={companyId}");
        var taken = System.Net.WebUtility.HtmlDecode(await SpanishAsync(flow, HttpMethod.Post, $"admin/users/invite?company={companyId}", new Dictionary<string, string>
        {
            ["Email"] = existing.Email, ["DisplayName"] = "Alguien", ["Role"] = "member", ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(form),
        }));
        Assert.Contains("id=\"invite-email-error\">Ya existe una cuenta con este correo", taken, StringComparison.Ordinal);
        Assert.Contains("No se ha guardado nada: corrige los campos marcados abajo.", taken, StringComparison.Ordinal);
        // A conflict's message names no value, so it has its Spanish too.
        var scopes = await SpanishAsync(flow, HttpMethod.Get, "admin/scopes");
        var duplicate = System.Net.WebUtility.HtmlDecode(await SpanishAsync(flow, HttpMethod.Post, "admin/scopes", new Dictionary<string, string>
        {
            ["Name"] = scope, ["DisplayName"] = "Otro", ["Resources"] = "reports-api", ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(scopes),
        }));
        Assert.Contains("Ya existe un ámbito con este nombre.", duplicate, StringComparison.Ordinal);
    }

    private static async Task<string> SpanishAsync(AuthorizationCodeFlow flow, HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = form is null ? null : new FormUrlEncodedContent(form) };
        request.Headers.AcceptLanguage.ParseAdd("es");
        return await (await flow.Browser.SendAsync(request)).Content.ReadAsStringAsync();
    }

    private async Task<string> CreateScopeAsync(string displayName)
    {
        var name = "console." + Guid.NewGuid().ToString("N")[..10];
        await _server.WithServicesAsync(s => s.GetRequiredService<IOpenIddictScopeManager>().CreateAsync(new OpenIddictScopeDescriptor
        {
            Name = name, DisplayName = displayName, Description = displayName, Resources = { "reports-api" },
        }).AsTask());
        return name;
    }

    private static async Task<string> TokenAsync(AuthorizationCodeFlow flow, string path) =>
        AuthorizationCodeFlow.AntiforgeryToken(await (await flow.Browser.GetAsync(path)).Content.ReadAsStringAsync());

    private static string HiddenVersion(string html)
    {
        var match = VersionField().Match(html);
        Assert.True(match.Success, "No version in the form.");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>A company's policy, an invitation's state and token, the users and the invitation audit rows.</summary>
    private Task<string> SnapshotAsync(Guid companyId, Guid invitationId) => _server.WithDatabaseAsync(async db =>
    {
        var company = await db.Set<Company>().AsNoTracking().SingleAsync(c => c.Id == companyId);
        var invitation = await db.Set<Invitation>().AsNoTracking().SingleAsync(i => i.Id == invitationId);
        return $"{company.RequireAuthenticator}|{company.ForbidTrustedDevices}|{company.MaxSessionMinutes}|{invitation.TokenHash}|{invitation.RevokedAt}"
            + $"|{invitation.ExpiresAt:O}|{await CountsAsync()}";
    });

    private Task<string> CountsAsync() => _server.WithDatabaseAsync(async db =>
        $"{await db.Set<User>().CountAsync()}|{await db.Set<Invitation>().CountAsync()}|{await db.Set<AuditEvent>().CountAsync(e => e.Type.StartsWith("admin."))}");

    private Task<string> PolicyAsync(Guid companyId) => _server.WithDatabaseAsync(async db =>
    {
        var company = await db.Set<Company>().AsNoTracking().SingleAsync(c => c.Id == companyId);
        return $"{company.RequireAuthenticator}|{company.ForbidTrustedDevices}|{company.MaxSessionMinutes}";
    });

    /// <summary>The stored scope (display name, resources, version), or empty when it is gone.</summary>
    private Task<string> ScopeAsync(string name) => _server.WithDatabaseAsync(async db =>
        await db.Set<OpenIddictEntityFrameworkCoreScope>().AsNoTracking().SingleOrDefaultAsync(s => s.Name == name) is { } s
            ? $"{s.DisplayName}|{s.Resources}|{s.ConcurrencyToken}" : "");

    private Task<DateTimeOffset?> RevokedAtAsync(Guid invitationId) =>
        _server.WithDatabaseAsync(db => db.Set<Invitation>().Where(i => i.Id == invitationId).Select(i => i.RevokedAt).SingleAsync());

    [GeneratedRegex("name=\"Version\" value=\"([^\"]*)\"")]
    private static partial Regex VersionField();
}
