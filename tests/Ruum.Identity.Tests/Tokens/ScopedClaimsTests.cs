using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Tenancy;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>OIDC Core §5.4: a claim reaches the access token, the ID token and userinfo only with the scope that releases it.</summary>
public sealed class ScopedClaimsTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private static readonly string[] ScopedClaims =
        ["email", "email_verified", "name", "company_id", "company_role", "project_roles", "role", "permissions"];

    private readonly RuumServer _server = fixture.Server;

    [Theory]
    [InlineData("openid", "")]
    [InlineData("openid profile", "name")]
    [InlineData("openid email", "email email_verified")]
    [InlineData("openid ruum.api", "company_id company_role project_roles role")]
    [InlineData("openid ruum.api ruum.permissions", "company_id company_role project_roles role permissions")]
    [InlineData("openid profile email offline_access ruum.api ruum.permissions", "email email_verified name company_id company_role project_roles role permissions")]
    public async Task TokensAndUserInfo_GrantedScopes_CarryExactlyTheClaimsTheyRelease(string scope, string released)
    {
        var user = await CreateUserWithEveryClaimAsync();
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password, scope);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var access = Jwt.Payload(accessToken);
        var userInfo = await (await UserInfoAsync(accessToken)).JsonAsync();

        var expected = released.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        foreach (var (name, claims) in new[] { ("access token", access), ("ID token", Jwt.Payload(tokens.GetProperty("id_token").GetString()!)), ("userinfo", userInfo) })
        {
            Assert.Equal(user.Id.ToString(), claims.GetProperty("sub").GetString());
            var present = ScopedClaims.Where(claim => claims.TryGetProperty(claim, out _)).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(present), $"{name} with '{scope}': expected [{string.Join(' ', expected)}], got [{string.Join(' ', present)}]");
        }
        foreach (var claim in expected)
        {
            Assert.True(JsonElement.DeepEquals(access.GetProperty(claim), userInfo.GetProperty(claim)),
                $"{claim}: userinfo says {userInfo.GetProperty(claim)}, the access token {access.GetProperty(claim)}");
        }
        Assert.True(access.TryGetProperty("amr", out _), "the sign-in facts need no scope");
    }

    [Fact]
    public async Task UserInfo_ApiAndPermissionsScopes_AnswersTheTokenContractShapes()
    {
        var user = await CreateUserWithEveryClaimAsync();
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password, "openid ruum.api ruum.permissions");

        var userInfo = await (await UserInfoAsync(tokens.GetProperty("access_token").GetString()!)).JsonAsync();

        Assert.Equal(fixture.Acme.ToString(), userInfo.GetProperty("company_id").GetString());
        Assert.Equal("viewer", userInfo.GetProperty("company_role").GetString());
        Assert.Equal("editor", userInfo.GetProperty("project_roles").GetProperty(fixture.TorreNorte).GetString());
        Assert.Equal(["platform_admin"], userInfo.GetProperty("role").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["company.read", "platform.manage"], userInfo.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task UserInfo_ClientCredentialsToken_IsInsufficientScope()
    {
        var token = (await _server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!;

        var response = await UserInfoAsync(token);

        AssertInsufficientScope(response);
        Assert.DoesNotContain("dev-service", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_UserTokenWithoutOpenId_IsInsufficientScope()
    {
        var user = await CreateUserWithEveryClaimAsync();
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password, "profile email ruum.api");
        Assert.False(tokens.TryGetProperty("id_token", out _));

        var response = await UserInfoAsync(tokens.GetProperty("access_token").GetString()!);

        AssertInsufficientScope(response);
        Assert.DoesNotContain(user.Id.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openid offline_access ruum.permissions")]
    [InlineData("openid offline_access ruum.api ruum.permissions")]
    public async Task Refresh_ActiveCompany_IsKeptWhetherOrNotTheTokensShowIt(string scope)
    {
        // Owner of Acme and viewer of Beta: the permissions say which company is active even when company_id is not released.
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyViewer, fixture.Beta);
        await _server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().SetCompanyRoleAsync(user.Id, fixture.Acme, RoleCatalogue.CompanyOwner));
        var tokens = await fixture.TokensForAsync(user.Email, TestData.Password, scope,
            new Dictionary<string, string?> { ["company_id"] = fixture.Beta.ToString() });

        var first = await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).JsonAsync();
        var second = await (await _server.RefreshAsync(first.GetProperty("refresh_token").GetString()!)).JsonAsync();

        var claims = Jwt.Payload(second.GetProperty("access_token").GetString()!);
        Assert.Equal(["company.read"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        if (scope.Contains("ruum.api", StringComparison.Ordinal))
        {
            Assert.Equal(fixture.Beta.ToString(), claims.GetProperty("company_id").GetString());
        }
        else
        {
            Assert.False(claims.TryGetProperty("company_id", out _), "company_id needs scope ruum.api");
        }
    }

    [Fact]
    public async Task Discovery_ClaimsSupported_AdvertisesEveryScopedClaimAndNoneNeverIssued()
    {
        var document = await (await _server.CreatePlainClient().GetAsync(".well-known/openid-configuration")).JsonAsync();

        var claims = document.GetProperty("claims_supported").EnumerateArray().Select(c => c.GetString()!).ToHashSet();
        Assert.Superset(ScopedClaims.ToHashSet(), claims);
    }

    /// <summary>A platform admin, viewer of Acme and editor of Torre Norte: every scoped claim has a value.</summary>
    private async Task<User> CreateUserWithEveryClaimAsync()
    {
        var user = await fixture.CreateMemberAsync(RoleCatalogue.CompanyViewer, fixture.Acme);
        await _server.WithServicesAsync(async s =>
        {
            var directory = s.GetRequiredService<TenancyDirectory>();
            await directory.SetProjectRoleAsync(user.Id, fixture.TorreNorte, RoleCatalogue.ProjectEditor);
            await directory.GrantPlatformRoleAsync(user.Id, RoleCatalogue.PlatformAdmin);
        });
        return user;
    }

    private async Task<HttpResponseMessage> UserInfoAsync(string accessToken)
    {
        var client = _server.CreatePlainClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await client.GetAsync("connect/userinfo");
    }

    // RFC 6750 §3.1: insufficient_scope is a 403 whose WWW-Authenticate names the error.
    private static void AssertInsufficientScope(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter, StringComparison.Ordinal);
    }
}
