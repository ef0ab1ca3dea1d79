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
            Day("sign-ins", d => d.SignIns),
            Day("failed-sign-ins", d => d.FailedSignIns),
            Day("lockouts", d => d.Lockouts),
            Day("second-factors", d => d.SecondFactors),
        ];
    }

    /// <summary>A chart's title: the English key of Index.es.resx (the view translates it).</summary>
    public static string TitleOf(string id) => id switch
    {
        "sign-ins" => "Sign-ins",
        "failed-sign-ins" => "Failed sign-ins",
        "lockouts" => "Lockouts",
        _ => "Second-factor uses",
    };

    private DaySeries Day(string id, Func<DayCounts, int> count) => new(id, TitleOf(id), [.. Summary.Days.Select(d => (d.Day, count(d)))]);

    public string MethodName(string method) => method switch
    {
        "authenticator" => "Authenticator app",
        "email_code" => "Emailed code",
        "recovery_code" => "Recovery code",
        _ => method,
    };
}
