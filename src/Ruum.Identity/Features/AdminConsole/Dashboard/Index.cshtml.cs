namespace Ruum.Identity.Features.AdminConsole.Dashboard;

/// <summary>One chart: a figure per day.</summary>
public sealed record DaySeries(string Id, string Title, IReadOnlyList<(DateOnly Day, int Count)> Points);

/// <summary>/admin: the dashboard, charts drawn on the server as SVG (no script), each with its numbers as a table.</summary>
public sealed class DashboardModel(SignInActivity activity) : ConsolePage
{
    public ActivitySummary Summary { get; private set; } = null!;

    public IReadOnlyList<DaySeries> Series { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Summary = await activity.ReadAsync(Caller, Aborted);
        Series =
        [
            new("sign-ins", "Sign-ins", [.. Summary.Days.Select(d => (d.Day, d.SignIns))]),
            new("failed-sign-ins", "Failed sign-ins", [.. Summary.Days.Select(d => (d.Day, d.FailedSignIns))]),
            new("lockouts", "Lockouts", [.. Summary.Days.Select(d => (d.Day, d.Lockouts))]),
            new("second-factors", "Second-factor uses", [.. Summary.Days.Select(d => (d.Day, d.SecondFactors))]),
        ];
    }

    public string MethodName(string method) => method switch
    {
        "authenticator" => "Authenticator app",
        "email_code" => "Emailed code",
        "recovery_code" => "Recovery code",
        _ => method,
    };
}
