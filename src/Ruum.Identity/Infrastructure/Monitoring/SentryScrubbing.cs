using Sentry;

namespace Ruum.Identity.Infrastructure.Monitoring;

/// <summary>
/// Runs on every Sentry event, transaction and breadcrumb before it leaves: no request bodies, no cookies,
/// no credentials in headers, and <see cref="SecretScrubber"/> over URLs, messages and exception texts.
/// </summary>
internal static class SentryScrubbing
{
    private static readonly HashSet<string> DroppedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Forwarded-For", "DPoP",
    };

    public static SentryEvent Scrub(SentryEvent sentryEvent)
    {
        ScrubRequest(sentryEvent.Request);
        if (sentryEvent.Message is { } message)
        {
            message.Message = SecretScrubber.ScrubNullable(message.Message);
            message.Formatted = SecretScrubber.ScrubNullable(message.Formatted);
        }
        foreach (var exception in sentryEvent.SentryExceptions ?? [])
        {
            exception.Value = SecretScrubber.ScrubNullable(exception.Value);
            if (exception.Mechanism is { } mechanism)
            {
                mechanism.Description = SecretScrubber.ScrubNullable(mechanism.Description);
                ScrubInPlace(mechanism.Data);
            }
        }
        foreach (var (key, value) in sentryEvent.Extra.ToList())
        {
            sentryEvent.SetExtra(key, ScrubObject(key, value));
        }
        foreach (var (key, value) in sentryEvent.Tags.ToList())
        {
            sentryEvent.SetTag(key, (string)ScrubObject(key, value)!);
        }
        return sentryEvent;
    }

    public static SentryTransaction Scrub(SentryTransaction transaction)
    {
        ScrubRequest(transaction.Request);
        transaction.Description = SecretScrubber.ScrubNullable(transaction.Description);
        // Span descriptions hold outgoing URLs and SQL text.
        foreach (var span in transaction.Spans)
        {
            span.Description = SecretScrubber.ScrubNullable(span.Description);
        }
        return transaction;
    }

    // Called as the breadcrumb is recorded, so the new one's timestamp is the original's to the millisecond.
    public static Breadcrumb Scrub(Breadcrumb breadcrumb) =>
        new(SecretScrubber.Scrub(breadcrumb.Message ?? ""), breadcrumb.Type ?? "default",
            breadcrumb.Data?.ToDictionary(pair => pair.Key, pair => (string)ScrubObject(pair.Key, pair.Value)!),
            breadcrumb.Category, breadcrumb.Level);

    private static void ScrubRequest(SentryRequest request)
    {
        request.Data = null;
        request.Cookies = null;
        request.Url = SecretScrubber.ScrubNullable(request.Url);
        request.QueryString = SecretScrubber.ScrubNullable(request.QueryString);
        foreach (var (name, value) in request.Headers.ToList())
        {
            if (DroppedHeaders.Contains(name))
            {
                request.Headers.Remove(name);
            }
            else
            {
                request.Headers[name] = SecretScrubber.Scrub(value);
            }
        }
    }

    private static void ScrubInPlace(IDictionary<string, object> data)
    {
        foreach (var (key, value) in data.ToList())
        {
            data[key] = ScrubObject(key, value)!;
        }
    }

    private static object? ScrubObject(string key, object? value) => value switch
    {
        null => null,
        _ when SecretScrubber.IsSecretName(key) => SecretScrubber.Filtered,
        string text => SecretScrubber.Scrub(text),
        bool or int or long or double or decimal or Guid or DateTimeOffset => value,
        _ => SecretScrubber.Scrub(value.ToString() ?? ""),
    };
}
