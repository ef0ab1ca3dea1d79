using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Admin.Audit;

/// <summary>Which audit events to list or export; every part optional. <c>From</c> is inclusive, <c>To</c> exclusive.</summary>
public sealed record AuditFilter(Guid? User, Guid? Company, string? Client, string? Type, string? Outcome, DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>Reads the filter from the query string, or the field errors.</summary>
    public static AdminResult<AuditFilter> Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Guid? GuidOf(string name)
        {
            if (query[name] is not [{ } text])
            {
                return null;
            }
            if (Guid.TryParse(text, out var id))
            {
                return id;
            }
            errors[name] = ["Must be an id (a GUID)."];
            return null;
        }
        DateTimeOffset? TimeOf(string name)
        {
            if (query[name] is not [{ } text])
            {
                return null;
            }
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }
            errors[name] = ["Must be an ISO 8601 date and time, e.g. 2026-12-07T18:00:00Z."];
            return null;
        }
        var outcome = query["outcome"] is [{ } o] ? o : null;
        if (outcome is not (null or AuditOutcomes.Success or AuditOutcomes.Failure))
        {
            errors["outcome"] = ["The outcome is 'success' or 'failure'."];
        }
        var filter = new AuditFilter(GuidOf("user"), GuidOf("company"), query["client"] is [{ } c] ? c : null,
            query["type"] is [{ } t] ? t : null, outcome, TimeOf("from"), TimeOf("to"));
        return errors.Count > 0 ? AdminError.Fields(errors) : filter;
    }
}

/// <summary>An audit event as the admin API shows it; <c>details</c> is the stored JSON object.</summary>
public sealed record AuditEventView(Guid Id, long? Sequence, DateTimeOffset OccurredAt, string Type, string Outcome, Guid? UserId, string? ClientId,
    string? IpAddress, string? UserAgent, JsonElement? Details)
{
    public static AuditEventView Of(AuditEvent row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Id, row.Sequence, row.OccurredAt, row.Type, row.Outcome, row.UserId, row.ClientId, row.IpAddress, row.UserAgent,
            row.Details is null ? null : JsonDocument.Parse(row.Details).RootElement.Clone());
    }
}

/// <summary>
/// Reads the audit log for admins, newest first, by the hash chain's sequence (rows written before the chain began are
/// not listed). A company admin sees only events about one of their companies (the indexed company column, filled from
/// the <c>company_id</c> admin changes name); asking for another company's events is answered as if there were none (404).
/// </summary>
public sealed class AdminAuditQuery(RuumDbContext db)
{
    private const int ExportBatchSize = 500;

    public async Task<AdminResult<Page<AuditEventView>>> ListAsync(AdminCaller caller, AuditFilter filter, AdminPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        long? before = null;
        if (page.After is { } after)
        {
            if (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return AdminError.Field("cursor", "The cursor is not one this API gave out.");
            }
            before = sequence;
        }
        if (Visible(caller, filter) is not { } query)
        {
            return AdminError.NotFound("company");
        }
        var rows = await Newest(query, before).Take(page.Limit + 1).ToListAsync(cancellationToken);
        return Pages.Of(rows.Select(AuditEventView.Of).ToList(), page.Limit, view => view.Sequence!.Value.ToString(CultureInfo.InvariantCulture));
    }

    public async Task<AdminResult<AuditEventView>> GetAsync(AdminCaller caller, Guid id, CancellationToken cancellationToken)
    {
        var query = Visible(caller, new AuditFilter(null, null, null, null, null, null, null))!;
        return await query.SingleOrDefaultAsync(e => e.Id == id, cancellationToken) is { } row
            ? AuditEventView.Of(row) : AdminError.NotFound("audit event");
    }

    /// <summary>Null when the filter names a company the caller may not see.</summary>
    public IQueryable<AuditEvent>? Visible(AdminCaller caller, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Company is { } company && !caller.Administers(company))
        {
            return null;
        }
        var query = db.Set<AuditEvent>().AsNoTracking().Where(e => e.Sequence != null);
        if (filter.Company is { } wanted)
        {
            query = query.Where(e => e.CompanyId == wanted);
        }
        else if (!caller.IsPlatformAdmin)
        {
            var administered = caller.AdministeredCompanies.ToList();
            query = query.Where(e => e.CompanyId != null && administered.Contains(e.CompanyId.Value));
        }
        if (filter.User is { } user)
        {
            query = query.Where(e => e.UserId == user);
        }
        if (filter.Client is { } client)
        {
            query = query.Where(e => e.ClientId == client);
        }
        if (filter.Type is { } type)
        {
            query = query.Where(e => e.Type == type);
        }
        if (filter.Outcome is { } outcome)
        {
            query = query.Where(e => e.Outcome == outcome);
        }
        if (filter.From is { } from)
        {
            query = query.Where(e => e.OccurredAt >= from);
        }
        if (filter.To is { } to)
        {
            query = query.Where(e => e.OccurredAt < to);
        }
        return query;
    }

    /// <summary>
    /// Every matching event, newest first, read in batches by sequence: a year of events streams through a few
    /// hundred rows of memory, whatever the database driver buffers.
    /// </summary>
    public async IAsyncEnumerable<AuditEvent> StreamAsync(IQueryable<AuditEvent> query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        long? before = null;
        while (true)
        {
            var batch = await Newest(query, before).Take(ExportBatchSize).ToListAsync(cancellationToken);
            foreach (var row in batch)
            {
                yield return row;
            }
            if (batch.Count < ExportBatchSize)
            {
                yield break;
            }
            before = batch[^1].Sequence;
        }
    }

    private static IQueryable<AuditEvent> Newest(IQueryable<AuditEvent> query, long? before) =>
        (before is { } b ? query.Where(e => e.Sequence < b) : query).OrderByDescending(e => e.Sequence);
}
