using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Infrastructure.Database;

/// <summary>Stateless instances share one PostgreSQL database; an embedded SQLite file would split state per instance.</summary>
internal sealed class DatabaseProductionRules(IHostEnvironment environment, IConfiguration configuration)
    : ProductionRules<DatabaseOptions>(environment)
{
    protected override IEnumerable<string> Check(DatabaseOptions options)
    {
        if (options.Provider != DatabaseProvider.PostgreSQL)
        {
            yield return $"{DatabaseOptions.Section}:Provider is {options.Provider}: outside Development the database is PostgreSQL "
                + "(set Ruum__Database__Provider=PostgreSQL and ConnectionStrings__Default).";
        }
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("Default")))
        {
            yield return "ConnectionStrings:Default is missing: set ConnectionStrings__Default to the PostgreSQL connection string.";
        }
    }
}
