using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.AdminConsole.Dashboard;

/// <summary>One UTC day of the dashboard.</summary>
public sealed record DayCounts(DateOnly Day, int SignIns, int FailedSignIns, int Lockouts, int SecondFactors);

/// <summary>How often a second-factor method was used, and its share of all uses (0 to 1).</summary>
public sealed record MethodShare(string Method, int Count, double Share);

public sealed record ActivitySummary(IReadOnlyList<DayCounts> Days, IReadOnlyList<MethodShare> Methods);

/// <summary>
/// The dashboard's figures, counted from the audit log: sign-ins, failed sign-ins, lockouts and second-factor uses
/// (codes and recovery codes accepted) per UTC day for the last 30 days, and the share of each second-factor method.
/// A company admin counts the events of the people they may see (<see cref="AdminUsers.Visible"/>: their companies'
/// members) only; failed sign-ins with an unknown email belong to no one and count for the platform only.
/// </summary>
public sealed class SignInActivity(RuumDbContext db, AdminUsers users, TimeProvider time)
{
    public const int Days = 30;

    private static readonly string[] Types =
    [
        AuditEventTypes.SignInSucceeded, AuditEventTypes.SignInFailed, AuditEventTypes.AccountLocked, AuditEventTypes.CodeVerified,
        AuditEventTypes.RecoveryCodeUsed,
    ];

    public async Task<ActivitySummary> ReadAsync(AdminCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - Days);
        var since = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var events = db.Set<AuditEvent>().AsNoTracking().Where(e => Types.Contains(e.Type) && e.OccurredAt >= since);
        if (!caller.IsPlatformAdmin)
        {
            var visible = users.Visible(caller).Select(u => u.Id);
            events = events.Where(e => e.UserId != null && visible.Contains(e.UserId.Value));
        }
        // A month of these events is a few rows per sign-in: counted here, as SQLite cannot group by a DateTimeOffset's day.
        var rows = await events.Select(e => new { e.Type, e.OccurredAt, e.Details }).ToListAsync(cancellationToken);
        var days = new Dictionary<DateOnly, int[]>();
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            days[day] = new int[4];
        }
        var methods = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!days.TryGetValue(DateOnly.FromDateTime(row.OccurredAt.UtcDateTime), out var counts))
            {
                continue;
            }
            switch (row.Type)
            {
                case AuditEventTypes.SignInSucceeded:
                    counts[0]++;
                    break;
                case AuditEventTypes.SignInFailed:
                    counts[1]++;
                    break;
                case AuditEventTypes.AccountLocked:
                    counts[2]++;
                    break;
                default:
                    counts[3]++;
                    var method = row.Type == AuditEventTypes.RecoveryCodeUsed ? "recovery_code" : MethodOf(row.Details);
                    methods[method] = methods.GetValueOrDefault(method) + 1;
                    break;
            }
        }
        var total = methods.Values.Sum();
        return new ActivitySummary(
            [.. days.OrderBy(d => d.Key).Select(d => new DayCounts(d.Key, d.Value[0], d.Value[1], d.Value[2], d.Value[3]))],
            [.. methods.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new MethodShare(m.Key, m.Value, (double)m.Value / total))]);
    }

    private static string MethodOf(string? details)
    {
        if (details is null)
        {
            return "unknown";
        }
        using var document = JsonDocument.Parse(details);
        return document.RootElement.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String
            ? method.GetString()! : "unknown";
    }
}
