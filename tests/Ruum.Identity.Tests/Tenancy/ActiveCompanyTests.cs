using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>Which company a new authorization is for: the only one, the picked one (remembered), or the one asked for.</summary>
public sealed partial class ActiveCompanyTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Authorize_SeveralCompaniesNoDefault_ShowsPickerAndPickIsRemembered()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        var flow = await SignedInAsync(user, fixture.Acme);

        var picker = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl()));
        Assert.Equal(HttpStatusCode.OK, picker.StatusCode);
        Assert.Equal(CompanyPickerModel.Path, picker.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await picker.Content.ReadAsStringAsync();
        Assert.Contains("Acme Construcciones", html, StringComparison.Ordinal);
        Assert.Contains("Beta Obras", html, StringComparison.Ordinal);

        var chosen = await flow.FollowAsync(await PickAsync(flow, html, fixture.Beta));
        var switched = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.CompanySwitched));
        Assert.Equal(TestData.SpaClient, switched.ClientId);
        Assert.Contains(fixture.Beta.ToString(), switched.Details, StringComparison.Ordinal);
        var tokens = await (await flow.RedeemAsync(flow.CodeFrom(chosen))).JsonAsync();
        Assert.Equal(fixture.Beta.ToString(), Jwt.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("company_id").GetString());

        // Next sign-in, in another browser: no page, the remembered company.
        var again = await fixture.TokensForAsync(user.Email, TestData.Password);
        Assert.Equal(fixture.Beta.ToString(), Jwt.Payload(again.GetProperty("access_token").GetString()!).GetProperty("company_id").GetString());
    }

    [Fact]
    public async Task Authorize_PromptSelectAccountWithADefault_ShowsPickerWithTheDefaultChecked()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        await _server.WithServicesAsync(s => s.GetRequiredService<CompanyChoice>().RememberAsync(user.Id, fixture.Beta, CancellationToken.None));
        var flow = await SignedInAsync(user, fixture.Acme);

        var picker = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "select_account" })));

        Assert.Equal(CompanyPickerModel.Path, picker.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Matches($"value=\"{fixture.Beta}\" checked", await picker.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Authorize_PromptNoneForAnotherOfTheUsersCompanies_SwitchesWithoutAPage()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        var flow = await SignedInAsync(user, fixture.Acme);

        var response = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?>
        {
            ["prompt"] = "none",
            ["company_id"] = fixture.Beta.ToString(),
        })));

        var tokens = await (await flow.RedeemAsync(flow.CodeFrom(response))).JsonAsync();
        Assert.Equal(fixture.Beta.ToString(), Jwt.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("company_id").GetString());
    }

    [Fact]
    public async Task Authorize_CompanyTheUserIsNotIn_IsAccessDeniedAndNoToken()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme);
        var flow = await SignedInAsync(user, companyId: null);
        var tokensBefore = await TokenRowsAsync(user);

        foreach (var requested in new[] { fixture.Beta.ToString(), Guid.NewGuid().ToString(), "not-a-guid" })
        {
            var response = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["company_id"] = requested })));

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
            Assert.Equal("access_denied", query["error"].ToString());
            Assert.False(query.ContainsKey("code"));
        }
        Assert.Equal(tokensBefore, await TokenRowsAsync(user));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().AnyAsync(m => m.UserId == user.Id && m.ChosenAt != null)));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.CompanySwitched));
    }

    // Codes (and refresh tokens) are stored: a refused request must not have issued one.
    private async Task<int> TokenRowsAsync(User user) =>
        await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Subject == user.Id.ToString()));

    [Fact]
    public async Task Authorize_PromptNoneSeveralCompaniesNoDefault_IsInteractionRequired()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        var flow = await SignedInAsync(user, fixture.Acme);

        var response = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" })));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("interaction_required", QueryHelpers.ParseQuery(response.Headers.Location!.Query)["error"].ToString());
    }

    [Fact]
    public async Task Authorize_ThirdPartyAsksForAnotherCompanyWithPromptNone_IsInteractionRequiredAndChangesNothing()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        await _server.WithServicesAsync(s => s.GetRequiredService<CompanyChoice>().RememberAsync(user.Id, fixture.Acme, CancellationToken.None));
        var flow = await ConsentedThirdPartyAsync(user);
        var before = (await TokenRowsAsync(user), await ChoicesAsync(user));

        var response = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?>
        {
            ["prompt"] = "none",
            ["company_id"] = fixture.Beta.ToString(),
        })));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("interaction_required", query["error"].ToString());
        Assert.False(query.ContainsKey("code"));
        Assert.Equal(before, (await TokenRowsAsync(user), await ChoicesAsync(user)));
    }

    [Fact]
    public async Task Authorize_ThirdPartyAsksForAnotherCompany_ShowsThePicker()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        await _server.WithServicesAsync(s => s.GetRequiredService<CompanyChoice>().RememberAsync(user.Id, fixture.Acme, CancellationToken.None));
        var flow = await ConsentedThirdPartyAsync(user);

        var picker = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?>
        {
            ["company_id"] = fixture.Beta.ToString(),
        })));

        Assert.Equal(HttpStatusCode.OK, picker.StatusCode);
        Assert.Equal(CompanyPickerModel.Path, picker.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Matches($"value=\"{fixture.Acme}\" checked", await picker.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Authorize_ThirdPartyAsksForTheCurrentCompanyWithPromptNone_GetsACode()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme, fixture.Beta);
        await _server.WithServicesAsync(s => s.GetRequiredService<CompanyChoice>().RememberAsync(user.Id, fixture.Beta, CancellationToken.None));
        var flow = await ConsentedThirdPartyAsync(user);

        var response = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?>
        {
            ["prompt"] = "none",
            ["company_id"] = fixture.Beta.ToString(),
        })));

        var tokens = await (await flow.RedeemAsync(flow.CodeFrom(response))).JsonAsync();
        Assert.Equal(fixture.Beta.ToString(), Jwt.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("company_id").GetString());
    }

    /// <summary>A browser signed in, with the user's consent given to a new third-party client (explicit consent).</summary>
    private async Task<AuthorizationCodeFlow> ConsentedThirdPartyAsync(User user)
    {
        const string redirect = "https://partner.example/callback";
        var flow = new AuthorizationCodeFlow(_server)
        {
            ClientId = await _server.CreatePublicClientAsync(redirect, thirdParty: true),
            RedirectUri = redirect,
        };
        var login = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl()));
        var consent = await flow.FollowAsync(await flow.SignInWithPageAsync(login, user.Email, TestData.Password));
        Assert.Equal("/account/consent", consent.RequestMessage!.RequestUri!.AbsolutePath);
        var accepted = await flow.FollowAsync(await flow.Browser.PostAsync("account/consent?handler=Accept", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["ReturnUrl"] = QueryHelpers.ParseQuery(consent.RequestMessage.RequestUri.Query)["returnUrl"].ToString(),
                ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await consent.Content.ReadAsStringAsync()),
            })));
        Assert.NotEmpty(flow.CodeFrom(accepted));
        return flow;
    }

    private async Task<string> ChoicesAsync(User user) =>
        string.Join(",", (await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().Where(m => m.UserId == user.Id)
            .OrderBy(m => m.CompanyId).Select(m => new { m.CompanyId, m.ChosenAt }).ToListAsync())).Select(m => $"{m.CompanyId}@{m.ChosenAt:O}"));

    [Fact]
    public async Task Picker_CompanyNotTheUsers_Is400AndRemembersNothing()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme);
        Guid third = default;
        await _server.WithServicesAsync(async s =>
        {
            var directory = s.GetRequiredService<TenancyDirectory>();
            third = (await directory.EnsureCompanyAsync("Third " + Guid.NewGuid().ToString("N")[..8])).Id;
            await directory.SetCompanyRoleAsync(user.Id, third, RoleCatalogue.CompanyViewer);
        });
        var flow = await SignedInAsync(user, fixture.Acme);
        var picker = await flow.FollowAsync(await flow.Browser.GetAsync(flow.AuthorizeUrl()));

        var response = await PickAsync(flow, await picker.Content.ReadAsStringAsync(), fixture.Beta);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose one of your companies.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().AnyAsync(m => m.UserId == user.Id && m.ChosenAt != null)));
    }

    [Fact]
    public async Task Picker_ReturnUrlNotAnAuthorizationRequest_Is400()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyMember, fixture.Acme);
        var flow = await SignedInAsync(user, fixture.Acme);

        var response = await flow.Browser.GetAsync(CompanyPickerModel.Path + "?returnUrl=" + Uri.EscapeDataString("https://evil.example/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>A browser with a session at the server (one full sign-in), for the authorization requests that follow.</summary>
    private async Task<AuthorizationCodeFlow> SignedInAsync(User user, Guid? companyId)
    {
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetTokensAsync(user.Email, TestData.Password,
            companyId is null ? null : new Dictionary<string, string?> { ["company_id"] = companyId.ToString() });
        return flow;
    }

    private static async Task<HttpResponseMessage> PickAsync(AuthorizationCodeFlow flow, string pickerHtml, Guid companyId) =>
        await flow.Browser.PostAsync(CompanyPickerModel.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CompanyId"] = companyId.ToString(),
            ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(pickerHtml).Groups[1].Value),
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(pickerHtml),
        }));

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
