using Ruum.Identity.Features.Seed;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// Development (or <c>Ruum:Database:MigrateOnStartup</c>): migrate, then seed Development data, before
/// the server accepts requests. A hosted service, so it runs however the host is started, tests included.
/// Instances starting together on one database take turns (an advisory lock): the first migrates and seeds,
/// the others find the work done, so the seed's check-then-create never runs twice at once.
/// </summary>
internal sealed class DatabaseStartup(IServiceProvider services, IHostEnvironment environment) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var lockScope = services.CreateAsyncScope();
        await using (await AdvisoryLock.AcquireAsync(lockScope.ServiceProvider.GetRequiredService<RuumDbContext>(),
            AdvisoryLock.Startup, cancellationToken))
        {
            await services.MigrateRuumDatabaseAsync(cancellationToken: cancellationToken);
            if (environment.IsDevelopment())
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DevelopmentSeed>().RunAsync(cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
