using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed class ConcurrentStartTests
{
    [Fact]
    public async Task TwoInstances_StartedAtOnceOnAnEmptyDatabase_MigrateAndSeedOnceAndBothServe()
    {
        var database = await TestDatabase.CreateAsync();

        var starting = Enumerable.Range(0, 2).Select(_ => Task.Run(() => RuumServer.StartOn(database))).ToList();
        await Task.WhenAll(starting.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        var servers = starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).ToList();
        try
        {
            Assert.All(starting, s => Assert.Null(s.Exception));
            foreach (var server in servers)
            {
                using var http = server.CreatePlainClient();
                using var discovery = await http.GetAsync(new Uri(".well-known/openid-configuration", UriKind.Relative));
                Assert.Equal(System.Net.HttpStatusCode.OK, discovery.StatusCode);
            }
            await servers[0].WithDatabaseAsync(async db =>
            {
                Assert.Empty(await db.Set<OpenIddictEntityFrameworkCoreApplication>().GroupBy(a => a.ClientId)
                    .Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<OpenIddictEntityFrameworkCoreScope>().GroupBy(s => s.Name)
                    .Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<Company>().GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<User>().GroupBy(u => u.NormalizedEmail).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
                Assert.Empty(await db.Set<Role>().GroupBy(r => new { r.Scope, r.Name }).Where(g => g.Count() > 1).Select(g => g.Key.Name).ToListAsync());
                Assert.NotEmpty(await db.Set<Company>().ToListAsync());
            });
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
