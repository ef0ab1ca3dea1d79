using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Ruum.Identity.Features.Admin.Audit;

namespace Ruum.Identity.Features.AdminConsole.Audit;

/// <summary>
/// /admin/audit: the API's filters (<see cref="AuditFilter"/>, read from the same query names), cursor paging, and the
/// same streamed export (<see cref="AuditExport"/>), all through <see cref="AdminAuditQuery"/>: a company admin
/// sees their companies' events, and another company's id is a 404.
/// </summary>
public sealed class AuditModel(AdminAuditQuery audit) : ConsolePage
{
    public IReadOnlyList<AuditEventView> Events { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var filter = AuditFilter.Parse(FilledIn());
        if (filter.Error is not null)
        {
            return Refused(filter.Error) ?? Page();
        }
        if (PageOf() is not { } page)
        {
            return Page();
        }
        var found = await audit.ListAsync(Caller, filter.Value!, page, Aborted);
        if (found.Error is not null)
        {
            return Refused(found.Error) ?? Page();
        }
        (Events, NextCursor) = (found.Value!.Items, found.Value.NextCursor);
        return Page();
    }

    /// <summary>Every matching event, all pages, written to the response as it is read (the API's export).</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format)
    {
        format ??= AuditExport.Csv;
        var filter = AuditFilter.Parse(FilledIn());
        if (format is not (AuditExport.Csv or AuditExport.JsonLines))
        {
            Problems.Add(Text["The format is 'csv' or 'jsonl'."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (filter.Error is not null)
        {
            return Refused(filter.Error) ?? Page();
        }
        if (audit.Visible(Caller, filter.Value!) is not { } events)
        {
            return NotFound();
        }
        Response.ContentType = format == AuditExport.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
        Response.Headers.ContentDisposition = $"attachment; filename=audit.{format}";
        await AuditExport.WriteAsync(format, audit.StreamAsync(events, Aborted), Response.Body, Aborted);
        return new EmptyResult();
    }

    /// <summary>The query without the form's empty fields (an empty field filters nothing).</summary>
    private QueryCollection FilledIn() =>
        new(Request.Query.Where(p => !string.IsNullOrEmpty(p.Value.ToString())).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>A filter field as the query string has it, to show it again in the form.</summary>
    public string Value(string name) => Request.Query[name].ToString();

    public string ExportLink(string format)
    {
        var query = QueryHelpers.ParseQuery(Request.QueryString.Value);
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal) { ["handler"] = "Export", ["format"] = format };
        foreach (var name in new[] { "user", "company", "client", "type", "outcome", "from", "to" })
        {
            if (query.TryGetValue(name, out var value) && value.Count == 1 && !string.IsNullOrEmpty(value[0]))
            {
                parameters[name] = value[0];
            }
        }
        return QueryHelpers.AddQueryString("/admin/audit", parameters);
    }
}
