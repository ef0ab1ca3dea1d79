using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Lockout;

/// <summary>The count of a fixed window after this request, and the time until the window ends.</summary>
internal readonly record struct RateCount(int Count, TimeSpan RetryAfter);

/// <summary>
/// Fixed-window counters shared by every instance: one atomic upsert per counted request
/// (<c>INSERT ... ON CONFLICT DO UPDATE ... RETURNING</c>, the same statement on PostgreSQL and SQLite), so concurrent
/// requests on any instance each get their own count and none is lost.
/// </summary>
internal sealed class RateLimitCounters(RuumDbContext db, TimeProvider time)
{
    private const string Upsert = """
        INSERT INTO rate_limit_windows ("Key", "EndsAt", "Count") VALUES (@key, @endsAt, 1)
        ON CONFLICT ("Key", "EndsAt") DO UPDATE SET "Count" = rate_limit_windows."Count" + 1
        RETURNING "Count"
        """;

    public async Task<RateCount> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Windows aligned on multiples of their length, so every instance computes the same window for the same moment.
        var endsAt = new DateTimeOffset((now.UtcTicks / window.Ticks + 1) * window.Ticks, TimeSpan.Zero);
        if (key.Length > RateLimitWindowConfiguration.MaxKeyLength)
        {
            key = key[..RateLimitWindowConfiguration.MaxKeyLength];
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Upsert;
            // Inside a caller's transaction, SQLite refuses a command that is not enlisted in it.
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.Parameters.Add(Parameter(command, "@key", key));
            command.Parameters.Add(Parameter(command, "@endsAt", ProviderValue(endsAt)));
            var count = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return new RateCount(count, endsAt - now);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The value as the model stores it (SQLite keeps <see cref="DateTimeOffset"/> as sortable ticks).</summary>
    private object ProviderValue(DateTimeOffset endsAt)
    {
        var converter = db.Model.FindEntityType(typeof(RateLimitWindow))!
            .FindProperty(nameof(RateLimitWindow.EndsAt))!.GetTypeMapping().Converter;
        return converter?.ConvertToProvider(endsAt) ?? endsAt;
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }
}
