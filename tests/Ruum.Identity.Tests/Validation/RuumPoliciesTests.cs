using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Tenancy;
using Ruum.Identity.Validation;

namespace Ruum.Identity.Tests.Validation;

/// <summary>The package's policies and <see cref="RuumUser"/>, in a minimal API that uses nothing but the one call.</summary>
public sealed class RuumPoliciesTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>, IAsyncLifetime
{
    private const string WithPermissions = "openid profile email offline_access ruum.api ruum.permissions";
    private static readonly string[] PasswordOnly = ["pwd"];
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(["--environment=Production", "--urls=http://127.0.0.1:0"]);
        builder.Services.AddRuumIdentityValidation(o =>
        {
            o.Authority = fixture.Server.BaseAddress;
            o.Audience = "ruum-api";
            o.AllowHttpAuthority = true;
        });
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGet("me", (RuumUser user) => user).RequireAuthorization();
        _app.MapGet("owners", () => "ok").RequireAuthorization(p => p.RequireCompanyRole("owner", "admin"));
        _app.MapGet("company-settings", () => "ok").RequireAuthorization(p => p.RequirePermission("company.manage"));
        _app.MapGet("billing", () => "ok").RequireAuthorization(p => p.RequireSecondFactor());
        _app.MapGet("no-project-in-route", () => "ok").RequireAuthorization(p => p.RequireProjectRole("manager"));
        _app.MapGet("sites/{site}", () => "ok").RequireAuthorization(p => p.RequireProjectRoleFromRoute("site", "manager", "editor"));
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task RuumUser_SeededMember_IsTheTypedViewOfTheToken()
    {
        var me = await (await GetAsync("me", await TokenAsync(DevelopmentSeed.MemberEmail))).JsonAsync();

        Assert.Equal(DevelopmentSeed.MemberEmail, me.GetProperty("email").GetString());
        Assert.Equal(fixture.Acme.ToString(), me.GetProperty("companyId").GetString());
        Assert.Equal("member", me.GetProperty("companyRole").GetString());
        Assert.Equal("editor", me.GetProperty("projectRoles").GetProperty(fixture.ResidencialSur).GetString());
        // The seeded member signs in with an emailed code (RFC 8176: pwd + mfa).
        Assert.Equal(["pwd", "mfa"], me.GetProperty("authenticationMethods").EnumerateArray().Select(m => m.GetString()));
        Assert.True(me.GetProperty("hasSecondFactor").GetBoolean());
    }

    [Fact]
    public async Task RequireCompanyRole_OwnerAndMember_200And403()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("owners", await TokenAsync(DevelopmentSeed.OwnerEmail))).StatusCode);
        var member = await GetAsync("owners", await TokenAsync(DevelopmentSeed.MemberEmail));
        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        Assert.Equal("application/problem+json", member.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RequirePermission_OnlyWithThePermissionsScopeAndTheRole_200Else403()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("company-settings", await TokenAsync(DevelopmentSeed.OwnerEmail, WithPermissions))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("company-settings", await TokenAsync(DevelopmentSeed.OwnerEmail))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("company-settings", await TokenAsync(DevelopmentSeed.MemberEmail, WithPermissions))).StatusCode);
    }

    [Fact]
    public async Task RequireSecondFactor_PasswordOnlyAndMfa_403And200()
    {
        // Every real sign-in has a second step; only a trusted device yields a password-only token, forged here.
        var passwordOnly = ForgedTokens.Forge(fixture, c => c["amr"] = PasswordOnly);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("billing", passwordOnly)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("billing", await TokenAsync(DevelopmentSeed.OwnerEmail))).StatusCode);
    }

    [Fact]
    public async Task RequireProjectRole_RouteWithoutTheProjectParameter_Is403NotAnError()
    {
        var response = await GetAsync("no-project-in-route", await TokenAsync(DevelopmentSeed.OwnerEmail));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("The request names no project.", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RequireProjectRoleFromRoute_OtherParameterName_ReadsIt()
    {
        var token = await TokenAsync(DevelopmentSeed.MemberEmail);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"sites/{fixture.ResidencialSur}", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"sites/{fixture.TorreNorte}", token)).StatusCode);
    }

    private async Task<string> TokenAsync(string email, string? scope = null) =>
        (await fixture.TokensForAsync(email, scope: scope)).GetProperty("access_token").GetString()!;

    private async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var client = new HttpClient { BaseAddress = _address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(path);
    }
}
