using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// <c>audit export --from T --to T [--company ID] --format csv|jsonl --output FILE</c>: the audit events of a time range
/// (from inclusive, to exclusive; ISO 8601, UTC unless an offset is given), optionally only of one company (the events
/// about it, by the audit rows' company column, and those of its current members), written to a new file for an incident report or a regulator. Rows are streamed from the database to
/// the file, never held together in memory; the file appears only once complete. Needs only SELECT.
/// </summary>
public static class AuditExportCommand
{
    private const string Usage = "usage: audit export --from 2026-12-01[T00:00:00Z] --to 2026-12-08 [--company ID] --format csv|jsonl --output FILE";
    private static readonly string[] Columns =
        ["id", "occurred_at", "type", "outcome", "user_id", "client_id", "ip_address", "user_agent", "details", "sequence"];

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output,
        TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Problem(arguments) is { } problem)
        {
            return await FailAsync(error, problem);
        }
        var request = Build(Options(arguments)!);
        if (File.Exists(request.Output))
        {
            return await FailAsync(error, $"{request.Output} already exists; choose a new file (an export never overwrites)");
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RuumDbContext>();
        if (request.Company is { } company && !await db.Set<Company>().AnyAsync(c => c.Id == company, cancellationToken))
        {
            return await FailAsync(error, $"no company with id {company}");
        }

        var events = db.Set<AuditEvent>().AsNoTracking().Where(e => e.OccurredAt >= request.From && e.OccurredAt < request.To);
        if (request.Company is { } id)
        {
            // The events about the company (its indexed column, as the admin API filters), and those of its members as of
            // now: a sign-in's row holds a user, not the company the user belonged to then.
            events = events.Where(e => e.CompanyId == id || db.Set<CompanyMembership>().Any(m => m.CompanyId == id && m.UserId == e.UserId));
        }
        var partial = request.Output + ".partial";
        var count = 0L;
        try
        {
            await using (var file = new StreamWriter(partial, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                if (request.Format == "csv")
                {
                    await file.WriteLineAsync(string.Join(',', Columns));
                }
                await foreach (var row in events.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await file.WriteLineAsync(request.Format == "csv" ? CsvLine(row) : JsonLine(row));
                    count++;
                }
            }
            File.Move(partial, request.Output);
        }
        finally
        {
            File.Delete(partial);
        }
        await output.WriteLineAsync($"Exported {count} audit events from {request.From:O} to {request.To:O}"
            + (request.Company is { } c ? $" of company {c}" : "") + $" to {request.Output} ({request.Format}).");
        return 0;
    }

    private sealed record Request(DateTimeOffset From, DateTimeOffset To, Guid? Company, string Format, string Output);

    private static Request Build(Dictionary<string, string> options) => new(
        Time(options["--from"])!.Value, Time(options["--to"])!.Value,
        options.TryGetValue("--company", out var company) ? Guid.Parse(company, CultureInfo.InvariantCulture) : null,
        options["--format"], Path.GetFullPath(options["--output"]));

    /// <summary>What is wrong with the arguments, in words an operator acts on; null when nothing is.</summary>
    private static string? Problem(IReadOnlyList<string> arguments)
    {
        if (Options(arguments) is not { } options)
        {
            return Usage;
        }
        foreach (var required in (string[])["--from", "--to", "--format", "--output"])
        {
            if (!options.ContainsKey(required))
            {
                return $"{required} is required; {Usage}";
            }
        }
        var from = Time(options["--from"]);
        var to = Time(options["--to"]);
        if (from is null || to is null)
        {
            return $"--from and --to must be ISO 8601 dates or times (2026-12-01 or 2026-12-01T08:00:00Z), got '{options["--from"]}' and '{options["--to"]}'";
        }
        if (from >= to)
        {
            return "--from must be before --to";
        }
        if (options["--format"] is not ("csv" or "jsonl"))
        {
            return $"--format must be csv or jsonl, got '{options["--format"]}'";
        }
        if (options.TryGetValue("--company", out var company) && !Guid.TryParse(company, CultureInfo.InvariantCulture, out _))
        {
            return $"--company must be a company id (a GUID), got '{company}'";
        }
        return null;
    }

    /// <summary>Pairs of <c>--name value</c>, each name once; null for anything else.</summary>
    private static Dictionary<string, string>? Options(IReadOnlyList<string> arguments)
    {
        string[] known = ["--from", "--to", "--company", "--format", "--output"];
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i += 2)
        {
            if (!known.Contains(arguments[i]) || i + 1 >= arguments.Count || !options.TryAdd(arguments[i], arguments[i + 1]))
            {
                return null;
            }
        }
        return options;
    }

    private static DateTimeOffset? Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
        && value.Length >= 10 && char.IsAsciiDigit(value[0]) ? time : null;

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync("audit export: " + message);
        return 2;
    }

    private static string CsvLine(AuditEvent row) => string.Join(',', Fields(row).Select(AuditCsv.Field));

    private static string?[] Fields(AuditEvent row) =>
    [
        row.Id.ToString(), row.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), row.Type, row.Outcome,
        row.UserId?.ToString(), row.ClientId, row.IpAddress, row.UserAgent, row.Details,
        row.Sequence?.ToString(CultureInfo.InvariantCulture),
    ];

    private static string JsonLine(AuditEvent row)
    {
        var values = Fields(row);
        var line = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < Columns.Length; i++)
        {
            line[Columns[i]] = values[i];
        }
        line["sequence"] = row.Sequence;
        return JsonSerializer.Serialize(line);
    }
}
