using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Admin.Clients;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Login;

namespace Ruum.Identity.Tests.AdminConsole;

/// <summary>The console's door and its bad inputs, as a browser without script sends them (real HTTP, cookies, forms).</summary>
public sealed class AdminConsoleAccessTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Member_OpensTheConsole_GetsThe403Page()
    {
        var companyId = await _server.CreateCompanyAsync();
        var member = await _server.CreateCompanyUserAsync(companyId, RoleCatalogue.CompanyMember);
        var flow = await _server.SignedInAsync(member.Email);

        foreach (var path in new[] { "admin", "admin/users", $"admin/companies/{companyId}" })
        {
            var response = await flow.Browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("You may not open this page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NotSignedIn_OpensTheConsole_IsSentToSignIn()
    {
        var response = await _server.CreateBrowserLikeClient().GetAsync("admin/users");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?returnUrl=%2Fadmin%2Fusers", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordOnlySession_OpensTheConsole_IsAskedForTheSecondFactorFirst()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        // Trusted at an earlier sign-in, this browser signs in again with the password only (amr pwd).
        var flow = await _server.TrustedBrowserAsync(admin.Email);
        await flow.FollowAsync(await flow.SignInAsync(admin.Email, TestData.Password));

        var refused = await flow.Browser.GetAsync("admin/users");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/account/reauthenticate?returnUrl=%2Fadmin%2Fusers", refused.Headers.Location!.OriginalString);

        var back = await flow.ReauthenticateAsync(refused, admin.Email);
        Assert.Equal("/admin/users", back.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await flow.Browser.GetAsync("admin/users")).StatusCode);
    }

    [Fact]
    public async Task CompanyAdmin_OpensAnotherCompanysPagesByUrl_Gets404AsForAMissingId()
    {
        var own = await _server.CreateCompanyAsync();
        var other = await _server.CreateCompanyAsync();
        var admin = await _server.CreateCompanyUserAsync(own, RoleCatalogue.CompanyAdmin);
        var stranger = await _server.CreateCompanyUserAsync(other, RoleCatalogue.CompanyMember);
        var otherProject = await _server.CreateProjectAsync(other, "Ajena");
        var flow = await _server.SignedInAsync(admin.Email);

        Assert.Equal(HttpStatusCode.OK, (await flow.Browser.GetAsync($"admin/companies/{own}")).StatusCode);
        foreach (var path in new[]
        {
            $"admin/companies/{other}", $"admin/projects/{otherProject}", $"admin/users/{stranger.Id}", $"admin/remove/company-member/{other}/{stranger.Id}",
            $"admin/remove/project/{otherProject}", $"admin/audit?company={other}", $"admin/companies/{Guid.NewGuid()}",
        })
        {
            var response = await flow.Browser.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Posting to delete the other company's project changes nothing either.
        var forged = await flow.Browser.PostAsync($"admin/remove/project/{otherProject}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Confirmed"] = "true",
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await (await flow.Browser.GetAsync($"admin/companies/{own}")).Content.ReadAsStringAsync()),
        }));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.True(await _server.WithDatabaseAsync(db => db.Set<Project>().AnyAsync(p => p.Id == otherProject)));
        // Clients are the platform's, as in the API: 403.
        Assert.Equal(HttpStatusCode.Forbidden, (await flow.Browser.GetAsync("admin/clients")).StatusCode);
    }

    [Fact]
    public async Task ScriptInAClientOrUserName_IsShownAsText()
    {
        const string Script = "<script>alert('x')</script>";
        var admin = await _server.CreatePlatformAdminAsync();
        var user = await _server.CreateUserAsync();
        await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, Script)));
        var clientId = "xss-" + Guid.NewGuid().ToString("N")[..10];
        await _server.WithServicesAsync(s => s.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId, ClientType = OpenIddictConstants.ClientTypes.Confidential, ClientSecret = AdminClients.NewSecret(), DisplayName = Script,
        }).AsTask());
        var flow = await _server.SignedInAsync(admin.Email);

        foreach (var path in new[] { $"admin/users/{user.Id}", $"admin/users?q={user.Email}", $"admin/clients/{clientId}", "admin/clients?limit=200" })
        {
            var html = await (await flow.Browser.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FormWithoutItsAntiforgeryToken_IsRefused_NothingChanges()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var user = await _server.CreateUserAsync();
        var flow = await _server.SignedInAsync(admin.Email);
        var version = await VersionAsync(flow, user.Id);

        var forged = await flow.Browser.PostAsync($"admin/users/{user.Id}/disable", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Confirmed"] = "true",
            ["Version"] = version,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True(await EnabledAsync(user.Id));
    }

    [Fact]
    public async Task ConfirmationPageSkipped_PostWithoutTheConfirmationField_ChangesNothing()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var user = await _server.CreateUserAsync();
        var flow = await _server.SignedInAsync(admin.Email);
        var version = await VersionAsync(flow, user.Id);

        var direct = await flow.PostFormAsync($"admin/users/{user.Id}/disable", new Dictionary<string, string> { ["Version"] = version });
        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
        Assert.Contains("Nothing was changed", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await EnabledAsync(user.Id));

        var confirmed = await flow.PostFormAsync($"admin/users/{user.Id}/disable", new Dictionary<string, string>
        {
            ["Version"] = version,
            ["Confirmed"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.False(await EnabledAsync(user.Id));
    }

    [Fact]
    public async Task AuditExport_OfAFilterThatMatchesNothing_IsAnEmptyFile()
    {
        var admin = await _server.CreatePlatformAdminAsync();
        var flow = await _server.SignedInAsync(admin.Email);

        var csv = await flow.Browser.GetAsync("admin/audit?handler=Export&format=csv&type=no.such.event");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("id,sequence,occurred_at,type,outcome,user_id,client_id,ip_address,user_agent,details\r\n", await csv.Content.ReadAsStringAsync());
        var lines = await flow.Browser.GetAsync("admin/audit?handler=Export&format=jsonl&type=no.such.event&outcome=");
        Assert.Equal(HttpStatusCode.OK, lines.StatusCode);
        Assert.Equal("", await lines.Content.ReadAsStringAsync());
    }

    private static async Task<string> VersionAsync(AuthorizationCodeFlow flow, Guid userId)
    {
        var html = await (await flow.Browser.GetAsync($"admin/users/{userId}/disable")).Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"Version\" value=\"([^\"]+)\"");
        Assert.True(match.Success, "No version on the confirmation page.");
        return match.Groups[1].Value;
    }

    private Task<bool> EnabledAsync(Guid userId) =>
        _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == userId).Select(u => u.IsEnabled).SingleAsync());
}
