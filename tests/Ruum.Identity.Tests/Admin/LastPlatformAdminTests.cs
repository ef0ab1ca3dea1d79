using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>
    /// Two admins act at once on the last two platform admins (demote, disable, erase): each check sees the other still
    /// there, so without serialising check and change both would pass and leave none. Several rounds, each of two
    /// concurrent requests: one succeeds, the other gets 409, and one platform admin is always left.
    /// </summary>
    [Theory]
    [InlineData("demote")]
    [InlineData("disable")]
    [InlineData("erase")]
    public async Task LastTwoPlatformAdmins_RemovedConcurrently_One409AndOneLeft(string action)
    {
        var (admin, owner) = await OnlyOwnerIsPlatformAdminAsync();
        var survivor = await _server.CreatePlatformAdminAsync();
        try
        {
            for (var round = 0; round < 6; round++)
            {
                var other = await _server.CreatePlatformAdminAsync();
                await _server.WithDatabaseAsync(db => db.Set<PlatformRoleAssignment>().Where(a => a.UserId != other.Id && a.UserId != survivor.Id)
                    .ExecuteDeleteAsync());

                var responses = await Task.WhenAll(RemoveAsync(admin, action, survivor.Id), RemoveAsync(admin, action, other.Id));

                var statuses = responses.Select(r => r.StatusCode).ToList();
                Assert.True(statuses.Count(s => s == HttpStatusCode.Conflict) == 1, $"round {round}: {string.Join(", ", statuses)}");
                await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ProblemAsync(HttpStatusCode.Conflict);
                var left = Assert.Single(await _server.WithDatabaseAsync(db => PlatformAdminsAsync(db)));
                survivor = await _server.WithDatabaseAsync(db => db.Set<User>().SingleAsync(u => u.Id == left));
            }
        }
        finally
        {
            await _server.WithServicesAsync(s => s.GetRequiredService<TenancyDirectory>().GrantPlatformRoleAsync(owner, RoleCatalogue.PlatformAdmin));
        }
    }

    private static Task<List<Guid>> PlatformAdminsAsync(Ruum.Identity.Infrastructure.Database.RuumDbContext db) =>
        db.Set<PlatformRoleAssignment>()
            .Where(a => db.Set<Role>().Any(r => r.Id == a.RoleId && r.Name == RoleCatalogue.PlatformAdmin)
                && db.Set<User>().Any(u => u.Id == a.UserId && u.IsEnabled))
            .Select(a => a.UserId).OrderBy(id => id).ToListAsync();

    private static Task<HttpResponseMessage> RemoveAsync(HttpClient admin, string action, Guid user) => action switch
    {
        "demote" => admin.DeleteAsync($"api/admin/users/{user}/platform-roles/platform_admin"),
        "disable" => admin.PostAsync($"api/admin/users/{user}/disable", null),
        _ => admin.DeleteAsync($"api/admin/users/{user}"),
    };
}
