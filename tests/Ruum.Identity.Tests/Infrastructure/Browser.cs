using Microsoft.Playwright;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download: ExecutablePath). One browser per
/// test class; each test gets its own context (cookies) via <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        // No desktop keyring lookup over D-Bus when a password form is submitted (it can stall the page's load event).
        "--password-store=basic",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("RUUM_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}. Run scripts/test.sh, which installs it.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>
    /// A browser speaking <paramref name="locale"/>: Chromium sends it as Accept-Language. English by default, as the
    /// tests read English; the pages themselves default to Spanish.
    /// </summary>
    public async Task<BrowserSession> NewSessionAsync(string testName, string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new() { Locale = locale });
        return new BrowserSession(context, await context.NewPageAsync(), testName);
    }
}

/// <summary>A page plus screenshots: every step can be saved, and a failing step always is.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page, string testName) : IAsyncDisposable
{
    private int _shots;

    public IPage Page { get; } = page;

    public IBrowserContext Context { get; } = context;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task<string> ScreenshotAsync(string step)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, $"{testName}-{++_shots:00}-{step}.png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs a step; when it throws, a screenshot is taken and named in the failure.</summary>
    public async Task StepAsync(string step, Func<Task> action)
    {
        try
        {
            await action();
            await ScreenshotAsync(step);
        }
        catch (Exception exception) when (exception is not StepFailedException)
        {
            var shot = await ScreenshotAsync(step + "-FAILED");
            throw new StepFailedException($"Step '{step}' failed at {Page.Url}; screenshot: {shot}", exception);
        }
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

public sealed class StepFailedException(string message, Exception inner) : Exception(message, inner);
