using System.Net;
using System.Text.Json;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>A company admin sees the members of their own company and no one else: others are 404, as a missing id.</summary>
public sealed class UsersCompanyScopeTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<(HttpClient Admin, Guid OwnMember, Guid Outsider)> ArrangeAsync()
    {
        var own = await _server.CreateCompanyAsync();
        var other = await _server.CreateCompanyAsync();
        var companyAdmin = await _server.CreateCompanyUserAsync(own, RoleCatalogue.CompanyAdmin);
        var member = await _server.CreateCompanyUserAsync(own, RoleCatalogue.CompanyMember);
        var outsider = await _server.CreateCompanyUserAsync(other, RoleCatalogue.CompanyMember);
        var token = await _server.UserTokenAsync(await _server.CreateConsoleClientAsync(), companyAdmin.Email);
        return (_server.AdminHttp(token), member.Id, outsider.Id);
    }

    [Fact]
    public async Task EveryUserEndpoint_OtherCompanysMember_404AsMissingAndNothingChanged()
    {
        var (admin, _, outsider) = await ArrangeAsync();
        var before = await UsersApiTests.StoredAsync(_server, outsider);

        foreach (var id in new[] { outsider, Guid.NewGuid() })
        {
            var answers = new[]
            {
                await admin.GetAsync($"api/admin/users/{id}"),
                await admin.SendJsonAsync(HttpMethod.Patch, $"api/admin/users/{id}", JsonSerializer.Serialize(new { displayName = "Hijacked" })),
                await admin.PostAsync($"api/admin/users/{id}/disable", null),
                await admin.PostAsync($"api/admin/users/{id}/enable", null),
                await admin.PostAsync($"api/admin/users/{id}/unlock", null),
                await admin.PostAsync($"api/admin/users/{id}/second-factor/reset", null),
                await admin.DeleteAsync($"api/admin/users/{id}/devices"),
                await admin.DeleteAsync($"api/admin/users/{id}/platform-roles/platform_admin"),
            };
            foreach (var answer in answers)
            {
                Assert.Equal("No user with this id.", (await answer.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
            }
        }

        var after = await UsersApiTests.StoredAsync(_server, outsider);
        Assert.Equal((before.DisplayName, before.IsEnabled, before.SecurityStamp), (after.DisplayName, after.IsEnabled, after.SecurityStamp));
        Assert.Empty(await UsersApiTests.AdminEventsAboutAsync(_server, outsider));
    }

    [Fact]
    public async Task Search_CompanyAdmin_ListsOwnMembersOnly()
    {
        var (admin, member, outsider) = await ArrangeAsync();

        var page = await (await admin.GetAsync("api/admin/users?limit=200")).JsonAsync();

        var ids = page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(member, ids);
        Assert.DoesNotContain(outsider, ids);
    }

    [Fact]
    public async Task OwnMember_CompanyAdminReadsButMayNotDisable_403AndUnchanged()
    {
        var (admin, member, _) = await ArrangeAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"api/admin/users/{member}")).StatusCode);
        var response = await admin.PostAsync($"api/admin/users/{member}/disable", null);

        Assert.Equal("platform_admin_required", (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("reason").GetString());
        Assert.True((await UsersApiTests.StoredAsync(_server, member)).IsEnabled);
    }
}
