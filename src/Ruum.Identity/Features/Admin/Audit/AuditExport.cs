using System.Globalization;
using System.Text;
using System.Text.Json;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Admin.Audit;

/// <summary>Writes audit events as CSV (RFC 4180) or JSON lines, row by row to the response.</summary>
internal static class AuditExport
{
    public const string Csv = "csv";
    public const string JsonLines = "jsonl";

    private static readonly string[] Columns = ["id", "sequence", "occurred_at", "type", "outcome", "user_id", "client_id", "ip_address", "user_agent", "details"];

    public static async Task WriteAsync(string format, IAsyncEnumerable<AuditEvent> rows, Stream body, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        if (format == Csv)
        {
            await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        }
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(format == Csv ? CsvLine(row) : JsonSerializer.Serialize(AuditEventView.Of(row), AdminJson.Options) + "\n");
            if (++count % 500 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        await writer.FlushAsync(cancellationToken);
    }

    private static string CsvLine(AuditEvent row) => string.Join(',', new[]
    {
        row.Id.ToString(), row.Sequence?.ToString(CultureInfo.InvariantCulture), row.OccurredAt.ToString("O", CultureInfo.InvariantCulture),
        row.Type, row.Outcome, row.UserId?.ToString(), row.ClientId, row.IpAddress, row.UserAgent, row.Details,
    }.Select(AuditCsv.Field)) + "\r\n";
}
