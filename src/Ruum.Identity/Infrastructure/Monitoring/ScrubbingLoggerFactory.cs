using System.Collections;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Infrastructure.Monitoring;

/// <summary>
/// Every logger of the app, the framework's included, goes through <see cref="SecretScrubber"/> before any
/// provider (console, Sentry breadcrumbs, a test's) sees the message, its properties, scopes or exception.
/// The providers and their filter rules stay those of the standard <see cref="LoggerFactory"/>.
/// </summary>
internal sealed class ScrubbingLoggerFactory(
    IEnumerable<ILoggerProvider> providers,
    IOptionsMonitor<LoggerFilterOptions> filterOptions,
    IOptions<LoggerFactoryOptions>? options = null,
    IExternalScopeProvider? scopeProvider = null) : ILoggerFactory
{
    private readonly LoggerFactory _inner = new(providers, filterOptions, options, scopeProvider);

    public ILogger CreateLogger(string categoryName) => new ScrubbingLogger(_inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    public void Dispose() => _inner.Dispose();

    private sealed class ScrubbingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            inner.BeginScope(ScrubbedState.From(state));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }
            var message = SecretScrubber.Scrub(formatter(state, exception));
            var scrubbed = ScrubbedState.From(state, message);
            inner.Log(logLevel, eventId, scrubbed, exception is null ? null : new ScrubbedException(exception),
                static (s, _) => s.ToString());
        }
    }
}

/// <summary>
/// Log properties with secret names or secret-looking text replaced; numbers and other plain values kept.
/// Computed when a provider first reads them, so a scope no line is written in costs nothing.
/// </summary>
internal sealed class ScrubbedState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";

    private readonly Lazy<List<KeyValuePair<string, object?>>> _properties;
    private readonly Lazy<string> _text;

    private ScrubbedState(Func<List<KeyValuePair<string, object?>>> properties, Func<string> text)
    {
        _properties = new(properties);
        _text = new(text);
    }

    public static ScrubbedState From<TState>(TState state, string? message = null) => new(
        () => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.Select(pair => new KeyValuePair<string, object?>(pair.Key, ScrubValue(pair.Key, pair.Value))).ToList()
            : [],
        () => message ?? SecretScrubber.Scrub(state?.ToString() ?? ""));

    public int Count => _properties.Value.Count;

    public KeyValuePair<string, object?> this[int index] => _properties.Value[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _text.Value;

    private static object? ScrubValue(string key, object? value) => value switch
    {
        null => null,
        _ when key == OriginalFormat => value,
        _ when SecretScrubber.IsSecretName(key) => SecretScrubber.Filtered,
        bool or byte or short or int or long or float or double or decimal or Guid or DateTime or DateTimeOffset
            or TimeSpan or Enum => value,
        _ => SecretScrubber.Scrub(value.ToString() ?? ""),
    };
}

/// <summary>
/// Stands in for a logged exception: same type name, stack trace and inner chain in <see cref="ToString"/>,
/// with every message scrubbed (a library may put a whole query string in one).
/// </summary>
internal sealed class ScrubbedException(Exception original)
    : Exception($"{original.GetType().FullName}: {SecretScrubber.Scrub(original.Message)}")
{
    public Type OriginalType { get; } = original.GetType();

    public override string? StackTrace => original.StackTrace;

    public override string ToString() => SecretScrubber.Scrub(original.ToString());
}
