namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>The one wording of "this lifetime is out of its safe range", so every Production rule says it alike.</summary>
internal static class LifetimeBounds
{
    /// <summary>A failure naming the setting when <paramref name="value"/> is zero or negative, or above <paramref name="maximum"/>.</summary>
    public static string? AtMost(string setting, TimeSpan value, TimeSpan maximum, string why) =>
        value <= TimeSpan.Zero ? $"{setting} is {value}: a lifetime must be positive."
        : value > maximum ? $"{setting} is {value}, over the {maximum} Production allows: {why}."
        : null;

    /// <summary>A failure naming the setting when <paramref name="value"/> is below <paramref name="minimum"/>.</summary>
    public static string? AtLeast(string setting, TimeSpan value, TimeSpan minimum, string why) =>
        value < minimum ? $"{setting} is {value}, under the {minimum} Production requires: {why}." : null;

    public static IEnumerable<string> Failures(params string?[] checks) => checks.OfType<string>();
}
