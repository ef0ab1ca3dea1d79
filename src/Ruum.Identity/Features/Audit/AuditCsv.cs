namespace Ruum.Identity.Features.Audit;

/// <summary>One CSV field of an audit export (the <c>audit export</c> command and the admin API's export).</summary>
internal static class AuditCsv
{
    /// <summary>RFC 4180 §2: a field with a comma, quote or line break is quoted, quotes doubled. A leading =, +, -, @,
    /// tab or CR is prefixed with ' so a spreadsheet never runs a user agent as a formula (OWASP CSV injection).</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
