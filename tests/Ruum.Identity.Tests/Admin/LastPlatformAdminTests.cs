using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>
/// Someone must always be able to administer Ruum: the last enabled platform admin cannot be demoted, disabled or
/// erased. A server of its own, where the seeded owner is the only platform admin.
/// </summary>
public sealed class LastPlatformAdminTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<(HttpClient Admin, Guid Owner)> OnlyOwnerIsPlatformAdminAsync()
    {
        var owner = await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.NormalizedEmail == EmailAddress.Normalize(DevelopmentSeed.OwnerEmail))
            .Select(u => u.Id).SingleAsync());
        await _server.WithDatabaseAsync(db => db.Set<PlatformRoleAssignment>().Where(a => a.UserId != owner).ExecuteDeleteAsync());
        return (_server.AdminHttp(await _server.AutomationTokenAsync()), owner);
    }

    [Fact]
    public async Task Demote_LastPlatformAdmin_409AndStillAdmin()
    {
        var (admin, owner) = await OnlyOwnerIsPlatformAdminAsync();

        var response = await admin.DeleteAsync($"api/admin/users/{owner}/platform-roles/platform_admin");

        Assert.Contains("last platform admin", (await response.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(await UsersApiTests.IsPlatformAdminAsync(_server, owner));
    }

    [Fact]
    public async Task Disable_LastPlatformAdmin_409AndStillEnabled()
    {
        var (admin, owner) = await OnlyOwnerIsPlatformAdminAsync();

        var response = await admin.PostAsync($"api/admin/users/{owner}/disable", null);

        await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.True((await UsersApiTests.StoredAsync(_server, owner)).IsEnabled);
    }

    [Fact]
    public async Task Erase_LastPlatformAdmin_409AndStillThere()
    {
        var (admin, owner) = await OnlyOwnerIsPlatformAdminAsync();

        var response = await admin.DeleteAsync($"api/admin/users/{owner}");

        await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.True(await UsersApiTests.IsPlatformAdminAsync(_server, owner));
    }
}
