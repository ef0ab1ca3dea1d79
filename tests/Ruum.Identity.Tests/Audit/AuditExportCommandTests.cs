using System.Text.Json;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Audit;

/// <summary>
/// <c>audit export</c> against a server's database. Each test writes its events in its own year, far in the past, so
/// the shared server's other rows never fall into its range.
/// </summary>
public sealed class AuditExportCommandTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ruum-audit-export-").FullName;

    [Fact]
    public async Task Export_Csv_QuotesCommasQuotesAndLineBreaks()
    {
        var at = new DateTimeOffset(2001, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var tricky = await AddEventAsync(at, userAgent: "Agent \"X\", v1\nsecond line", details: "{\"reason\":\"a,b\"}");
        await AddEventAsync(at.AddHours(1), userAgent: "=HYPERLINK(\"http://evil.test\")");

        var (exitCode, file, _) = await ExportAsync("--from", "2001-01-01", "--to", "2002-01-01", "--format", "csv");

        Assert.Equal(0, exitCode);
        var text = await File.ReadAllTextAsync(file);
        var expectedFirst = $"{tricky},2001-03-01T12:00:00.0000000Z,sign_in,success,,export-test,198.51.100.9,"
            + "\"Agent \"\"X\"\", v1\nsecond line\",\"{\"\"reason\"\":\"\"a,b\"\"}\",";
        Assert.StartsWith("id,occurred_at,type,outcome,user_id,client_id,ip_address,user_agent,details,sequence" + Environment.NewLine
            + expectedFirst + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.test\"\")\",", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Jsonl_WritesOneValidObjectPerEventInTimeOrder()
    {
        var at = new DateTimeOffset(2002, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var second = await AddEventAsync(at.AddMinutes(5), userAgent: "line\nbreak \"quoted\"");
        var first = await AddEventAsync(at, userAgent: "plain");

        var (exitCode, file, output) = await ExportAsync("--from", "2002-01-01", "--to", "2003-01-01", "--format", "jsonl");

        Assert.Equal(0, exitCode);
        Assert.Contains("Exported 2 audit events", output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(2, lines.Length);
        var rows = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([first.ToString(), second.ToString()], rows.Select(row => row.GetProperty("id").GetString()));
        Assert.Equal("line\nbreak \"quoted\"", rows[1].GetProperty("user_agent").GetString());
    }

    [Fact]
    public async Task Export_FromTo_IncludesFromAndExcludesTo()
    {
        var from = new DateTimeOffset(2003, 6, 1, 8, 0, 0, TimeSpan.Zero);
        await AddEventAsync(from.AddTicks(-1), userAgent: "before");
        var atFrom = await AddEventAsync(from, userAgent: "at from");
        var inside = await AddEventAsync(from.AddHours(1), userAgent: "inside");
        await AddEventAsync(from.AddHours(2), userAgent: "at to");

        var (exitCode, file, _) = await ExportAsync("--from", "2003-06-01T08:00:00Z", "--to", "2003-06-01T10:00:00Z", "--format", "jsonl");

        Assert.Equal(0, exitCode);
        Assert.Equal([atFrom.ToString(), inside.ToString()], (await File.ReadAllLinesAsync(file))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Export_WithCompany_IncludesOnlyItsMembersEvents()
    {
        var company = new Company { Name = "Export Co " + Guid.NewGuid().ToString("N")[..6], CreatedAt = DateTimeOffset.UtcNow };
        var member = await fixture.Server.CreateUserAsync();
        var outsider = await fixture.Server.CreateUserAsync();
        var role = await fixture.Server.WithDatabaseAsync(db => Task.FromResult(db.Set<Role>().First().Id));
        await fixture.Server.WithDatabaseAsync(async db =>
        {
            db.Add(company);
            db.Add(new CompanyMembership { UserId = member.Id, CompanyId = company.Id, RoleId = role, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var at = new DateTimeOffset(2004, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var ofMember = await AddEventAsync(at, userId: member.Id);
        await AddEventAsync(at.AddMinutes(1), userId: outsider.Id);
        await AddEventAsync(at.AddMinutes(2));

        var (exitCode, file, _) = await ExportAsync("--from", "2004-01-01", "--to", "2005-01-01", "--company", company.Id.ToString(), "--format", "jsonl");

        Assert.Equal(0, exitCode);
        var row = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(file))).RootElement;
        Assert.Equal(ofMember.ToString(), row.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("--format is required", "--from", "2005-01-01", "--to", "2006-01-01")]
    [InlineData("--format must be csv or jsonl, got 'xml'", "--from", "2005-01-01", "--to", "2006-01-01", "--format", "xml")]
    [InlineData("--from and --to must be ISO 8601", "--from", "yesterday", "--to", "2006-01-01", "--format", "csv")]
    [InlineData("--from must be before --to", "--from", "2006-01-01", "--to", "2005-01-01", "--format", "csv")]
    [InlineData("--company must be a company id", "--from", "2005-01-01", "--to", "2006-01-01", "--format", "csv", "--company", "acme")]
    [InlineData("no company with id 00000000-0000-0000-0000-000000000001", "--from", "2005-01-01", "--to", "2006-01-01", "--format", "csv", "--company", "00000000-0000-0000-0000-000000000001")]
    [InlineData("usage: audit export", "--from", "2005-01-01", "--to", "2006-01-01", "--format", "csv", "--everything")]
    [InlineData("usage: audit export", "--from", "2005-01-01", "--to")]
    public async Task Export_WithBadArguments_FailsWithAClearErrorAndWritesNoFile(string message, params string[] arguments)
    {
        await AddEventAsync(new DateTimeOffset(2005, 7, 1, 0, 0, 0, TimeSpan.Zero));

        var (exitCode, file, error) = await ExportAsync(arguments);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Export_ToAnExistingFile_FailsAndLeavesItAlone()
    {
        var file = Path.Combine(_folder, "export.csv");
        await File.WriteAllTextAsync(file, "keep me");

        var (exitCode, _, error) = await ExportAsync("--from", "2005-01-01", "--to", "2006-01-01", "--format", "csv");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Runs the command with <c>--output</c> added (unless given); returns the exit code, the file and stdout+stderr.</summary>
    private async Task<(int ExitCode, string File, string Text)> ExportAsync(params string[] arguments)
    {
        var file = Path.Combine(_folder, "export.csv");
        await using var output = new StringWriter();
        var exitCode = await AuditExportCommand.RunAsync(fixture.Server.Services, [.. arguments, "--output", file], output, output);
        return (exitCode, file, output.ToString());
    }

    private async Task<Guid> AddEventAsync(DateTimeOffset at, string? userAgent = null, string? details = null, Guid? userId = null)
    {
        var row = new AuditEvent
        {
            OccurredAt = at,
            Type = "sign_in",
            Outcome = "success",
            UserId = userId,
            ClientId = "export-test",
            IpAddress = "198.51.100.9",
            UserAgent = userAgent,
            Details = details,
        };
        await fixture.Server.WithDatabaseAsync(async db =>
        {
            db.Add(row);
            await db.SaveChangesAsync();
        });
        return row.Id;
    }
}
