using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>A logger provider that keeps everything any provider would write: message, properties, scopes, exception.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public void AddTo(IWebHostBuilder web) => web.ConfigureLogging(logging =>
    {
        logging.AddProvider(this);
        logging.SetMinimumLevel(LogLevel.Trace);
    });

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record Entry(LogLevel Level, string Category, string Message, IReadOnlyList<KeyValuePair<string, object?>> Properties,
        IReadOnlyList<KeyValuePair<string, object?>> Scopes, string? Exception)
    {
        /// <summary>Everything a sink could write for this entry.</summary>
        public string Everything => string.Join("\n", new[] { Category, Message, Exception ?? "" }
            .Concat(Properties.Concat(Scopes).Select(p => $"{p.Key}={p.Value}")));
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<KeyValuePair<string, object?>>();
            owner._scopes.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    list.AddRange(pairs);
                }
                list.Add(new("scope", scope?.ToString()));
            }, scopes);
            var properties = state is IEnumerable<KeyValuePair<string, object?>> values ? values.ToList() : [];
            owner.Entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), properties, scopes, exception?.ToString()));
        }
    }
}
