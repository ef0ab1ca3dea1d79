using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Accessibility;

/// <summary>
/// axe-core's WCAG 2.0-2.2 A and AA rules on the page as it is now; serious and critical violations are collected
/// (not thrown) so one run reports every page. The screenshot and axe's findings are kept side by side.
/// </summary>
internal static class Axe
{
    private static readonly AxeRunOptions Wcag = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    public static async Task CheckAsync(BrowserSession session, string step, List<string> failures)
    {
        await session.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var shot = await session.ScreenshotAsync(step);
        var result = await session.Page.RunAxe(Wcag);
        await File.WriteAllTextAsync(Path.ChangeExtension(shot, ".axe.json"), JsonSerializer.Serialize(result.Violations));
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            failures.Add($"{step} ({session.Page.Url}): {violation.Impact} {violation.Id}: {violation.Help} — "
                + string.Join(" | ", violation.Nodes.Select(n => n.Html)));
        }
    }
}
