using Ruum.Identity.Features.Seed;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// Development (or <c>Ruum:Database:MigrateOnStartup</c>): migrate, then seed Development data, before
/// the server accepts requests. A hosted service, so it runs however the host is started, tests included.
/// </summary>
internal sealed class DatabaseStartup(IServiceProvider services, IHostEnvironment environment) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.MigrateRuumDatabaseAsync(cancellationToken: cancellationToken);
        if (environment.IsDevelopment())
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DevelopmentSeed>().RunAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
