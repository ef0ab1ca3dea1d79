using System.Globalization;

namespace Ruum.Identity.Tests.Deploy;

/// <summary>deploy/rotate-backups.sh (run by backup.sh after every dump) on folders of fake dumps with dated names.</summary>
public sealed class BackupRotationTests : IDisposable
{
    private static readonly DateOnly Newest = new(2026, 12, 6);

    // 2 daily, 0 weekly, 3 monthly (December, November, October).
    private static readonly string[] ConfiguredKept = ["20261206", "20261205", "20261130", "20261031"];
    private readonly string _folder = Directory.CreateTempSubdirectory("ruum-rotation-").FullName;

    [Fact]
    public async Task Rotate_FourHundredDailyDumps_KeepsSevenDailyFourWeeklyTwelveMonthly()
    {
        CreateDailyDumps(400);
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a dump");
        File.WriteAllText(Path.Combine(_folder, ".ruum-identity-20261206T030000Z.dump.partial"), "a dump being written");

        var result = await DeployScript.RunAsync("rotate-backups.sh", [_folder]);

        Assert.Equal(0, result.ExitCode);
        string[] expected =
        [
            // 7 daily: the last seven days.
            "20261206", "20261205", "20261204", "20261203", "20261202", "20261201", "20261130",
            // 4 weekly (ISO weeks 49 to 46, Monday to Sunday): the newest of each; week 49's is already kept above.
            "20261129", "20261122", "20261115",
            // 12 monthly (December 2026 back to January 2026): the newest of each month.
            "20261031", "20260930", "20260831", "20260731", "20260630", "20260531", "20260430", "20260331", "20260228", "20260131",
        ];
        Assert.Equal(expected.Select(DumpName).Order(StringComparer.Ordinal), Dumps());
        Assert.True(File.Exists(Path.Combine(_folder, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(_folder, ".ruum-identity-20261206T030000Z.dump.partial")));
        Assert.Equal(400 - expected.Length, result.Output.Split('\n').Count(line => line.StartsWith("rotated out: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Rotate_TwoDumpsOnOneDay_KeepsTheNewerForThatDay()
    {
        File.WriteAllText(Path.Combine(_folder, "ruum-identity-20261206T020000Z.dump.gpg"), "");
        File.WriteAllText(Path.Combine(_folder, "ruum-identity-20261206T140000Z.dump.gpg"), "");
        File.WriteAllText(Path.Combine(_folder, "ruum-identity-20261205T020000Z.dump.gpg"), "");

        var result = await DeployScript.RunAsync("rotate-backups.sh", [_folder]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["ruum-identity-20261205T020000Z.dump.gpg", "ruum-identity-20261206T140000Z.dump.gpg"], Dumps());
    }

    [Fact]
    public async Task Rotate_WithConfiguredCounts_KeepsThoseCounts()
    {
        CreateDailyDumps(400);

        var result = await DeployScript.RunAsync("rotate-backups.sh", [_folder], new Dictionary<string, string>
        {
            ["BACKUP_KEEP_DAILY"] = "2",
            ["BACKUP_KEEP_WEEKLY"] = "0",
            ["BACKUP_KEEP_MONTHLY"] = "3",
        });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ConfiguredKept.Select(DumpName).Order(StringComparer.Ordinal), Dumps());
    }

    [Fact]
    public async Task Rotate_WithNothingToKeep_StillKeepsTheNewest()
    {
        CreateDailyDumps(30);

        var result = await DeployScript.RunAsync("rotate-backups.sh", [_folder], new Dictionary<string, string>
        {
            ["BACKUP_KEEP_DAILY"] = "0",
            ["BACKUP_KEEP_WEEKLY"] = "0",
            ["BACKUP_KEEP_MONTHLY"] = "0",
        });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([DumpName("20261206")], Dumps());
    }

    [Fact]
    public async Task Rotate_WithACountThatIsNotANumber_FailsAndDeletesNothing()
    {
        CreateDailyDumps(30);

        var result = await DeployScript.RunAsync("rotate-backups.sh", [_folder], new Dictionary<string, string> { ["BACKUP_KEEP_DAILY"] = "seven" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("must be whole numbers", result.Error, StringComparison.Ordinal);
        Assert.Equal(30, Dumps().Length);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void CreateDailyDumps(int days)
    {
        for (var day = 0; day < days; day++)
        {
            File.WriteAllText(Path.Combine(_folder, DumpName(Newest.AddDays(-day).ToString("yyyyMMdd", CultureInfo.InvariantCulture))), "");
        }
    }

    private static string DumpName(string day) => $"ruum-identity-{day}T020000Z.dump";

    private string[] Dumps() => [.. Directory.GetFiles(_folder, "ruum-identity-*").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
