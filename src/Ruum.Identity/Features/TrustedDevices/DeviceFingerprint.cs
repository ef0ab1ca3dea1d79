namespace Ruum.Identity.Features.TrustedDevices;

/// <summary>
/// Stable traits of a browser: its family and platform from the User-Agent, never its version (which
/// changes with every update and would untrust the device). Weak on its own; it only narrows where a
/// stolen cookie works.
/// </summary>
public sealed record DeviceFingerprint(string Browser, string Platform)
{
    public string Label => $"{Browser} on {Platform}";

    /// <summary>The input to the keyed hash that is stored.</summary>
    public string Canonical => Browser + "|" + Platform;

    public static DeviceFingerprint From(string? userAgent)
    {
        var ua = userAgent ?? "";
        return new(BrowserOf(ua), PlatformOf(ua));
    }

    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    private static string BrowserOf(string ua) =>
        Has(ua, "Edg/") ? "Edge"
        : Has(ua, "OPR/") ? "Opera"
        : Has(ua, "Firefox/") || Has(ua, "FxiOS/") ? "Firefox"
        : Has(ua, "Chrome/") || Has(ua, "CriOS/") || Has(ua, "Chromium/") ? "Chrome"
        : Has(ua, "Safari/") ? "Safari"
        : "Unknown browser";

    private static string PlatformOf(string ua) =>
        Has(ua, "Windows") ? "Windows"
        : Has(ua, "iPhone") || Has(ua, "iPad") ? "iOS"
        : Has(ua, "Android") ? "Android"
        : Has(ua, "CrOS") ? "ChromeOS"
        : Has(ua, "Mac OS X") || Has(ua, "Macintosh") ? "macOS"
        : Has(ua, "Linux") ? "Linux"
        : "unknown platform";

    private static bool Has(string ua, string token) => ua.Contains(token, StringComparison.Ordinal);
}
