using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
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
        var db = lockScope.ServiceProvider.GetRequiredService<RuumDbContext>();
        await CreateEmptyDatabaseIfMissingAsync(db, cancellationToken);
        await using (await AdvisoryLock.AcquireAsync(db, AdvisoryLock.Startup, cancellationToken))
        {
            await services.MigrateRuumDatabaseAsync(cancellationToken: cancellationToken);
            if (environment.IsDevelopment())
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DevelopmentSeed>().RunAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// The lock lives in the database, so a PostgreSQL database that does not exist yet is created first, empty, as
    /// the migrations would have (two instances racing: the loser finds it made).
    /// </summary>
    private static async Task CreateEmptyDatabaseIfMissingAsync(RuumDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!db.Database.IsNpgsql() || await creator.ExistsAsync(cancellationToken))
        {
            return;
        }
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
