using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>The Data Protection key ring loads after the server listens, not before (KeyRingWarmUp).</summary>
public sealed class KeyRingWarmUpTests
{
    [Fact]
    public async Task FreshServer_CreatesItsKeyRingAfterStartWithoutAnyRequest()
    {
        await using var server = await ProductionServer.StartAsync(); // no seed: nothing else creates a key

        Assert.DoesNotContain(server.Services.GetServices<IHostedService>(),
            service => service.GetType().Name == "DataProtectionHostedService");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var keys = 0;
        while (keys == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            keys = await server.WithDatabaseAsync(db => db.DataProtectionKeys.CountAsync());
        }
        Assert.Equal(1, keys);
    }
}
