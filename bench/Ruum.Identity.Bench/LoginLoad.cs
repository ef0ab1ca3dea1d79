using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Ruum.Identity.Bench;

/// <summary>N browsers on one trusted device, each signing in through /connect/authorize and the login form, again and again.</summary>
internal static class LoginLoad
{
    public static async Task<int> RunAsync(Uri server, string email, string password, string deviceFile, int concurrency, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var outcomes = new ConcurrentDictionary<string, int>();
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                var started = watch.Elapsed;
                string outcome;
                using var browser = new BrowserFlow(server, deviceFile);
                try
                {
                    await browser.LoginThroughAuthorizeAsync(email, password);
                    outcome = "ok";
                    latencies.Add((watch.Elapsed - started).TotalMilliseconds);
                }
                catch (FlowException e)
                {
                    outcome = e.Status.ToString(CultureInfo.InvariantCulture);
                    if (e.RetryAfter is { } wait)
                    {
                        // A well-behaved client waits as told; hammering back at once would measure a different attack.
                        await Task.Delay(wait);
                    }
                }
                catch (HttpRequestException)
                {
                    outcome = "socket";
                }
                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        }).ToList();
        await Task.WhenAll(workers);
        var elapsed = watch.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        Console.WriteLine(FormattableString.Invariant($"requests={sorted.Length}"));
        Console.WriteLine(FormattableString.Invariant($"rps={sorted.Length / elapsed:F2}"));
        Console.WriteLine(FormattableString.Invariant($"p50_ms={Percentile(sorted, 0.50):F1}"));
        Console.WriteLine(FormattableString.Invariant($"p99_ms={Percentile(sorted, 0.99):F1}"));
        Console.WriteLine("statuses=" + string.Join(' ', outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}:{o.Value}")));
        return 0;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
