namespace Ruum.Identity.Features.Admin.Audit;

/// <summary><c>/api/admin/audit</c>: platform admins see every event, company admins their companies' events.</summary>
internal static class AuditEndpoints
{
    public static void MapAdminAudit(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/", ListAsync).WithName("ListAuditEvents").Produces<Page<AuditEventView>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        audit.MapGet("/{id:guid}", async (Guid id, HttpContext http, AdminAuditQuery query) =>
                await query.GetAsync(AdminCaller.Of(http), id, http.RequestAborted) is { Error: null, Value: { } view }
                    ? (IResult)TypedResults.Ok(view) : AdminProblems.NotFound("audit event"))
            .WithName("GetAuditEvent").Produces<AuditEventView>().ProducesProblem(StatusCodes.Status404NotFound);
        audit.MapGet("/export", ExportAsync).WithName("ExportAuditEvents")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext http, AdminAuditQuery query)
    {
        var filter = AuditFilter.Parse(http.Request.Query);
        var page = AdminPage.From(http.Request);
        if ((filter.Error ?? page.Error) is { } error)
        {
            return error.ToResult();
        }
        var result = await query.ListAsync(AdminCaller.Of(http), filter.Value!, page.Value!, http.RequestAborted);
        return result.Error?.ToResult() ?? TypedResults.Ok(result.Value);
    }

    /// <summary><c>format=csv</c> (default) or <c>format=jsonl</c>; the same filters as the list, all pages, streamed.</summary>
    private static async Task<IResult> ExportAsync(HttpContext http, AdminAuditQuery query)
    {
        var filter = AuditFilter.Parse(http.Request.Query);
        if (filter.Error is { } error)
        {
            return error.ToResult();
        }
        var format = http.Request.Query["format"] is [{ } f] ? f : AuditExport.Csv;
        if (format is not (AuditExport.Csv or AuditExport.JsonLines))
        {
            return AdminProblems.Invalid("format", "The format is 'csv' or 'jsonl'.");
        }
        if (query.Visible(AdminCaller.Of(http), filter.Value!) is not { } events)
        {
            return AdminProblems.NotFound("company");
        }
        var rows = query.StreamAsync(events, http.RequestAborted);
        return Results.Stream(body => AuditExport.WriteAsync(format, rows, body, http.RequestAborted),
            format == AuditExport.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
            fileDownloadName: "audit." + format);
    }
}
