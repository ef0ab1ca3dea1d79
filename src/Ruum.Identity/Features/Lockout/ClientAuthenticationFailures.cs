using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Features.Lockout;

/// <summary>
/// Failed client authentications per client id (token and introspection endpoints), counted in the shared database
/// windows: guessing a client's secret from many addresses or instances draws on one budget. Only failures are
/// counted, so a successful token request costs no database round trip: an instance learns that a client is over
/// its budget from a failure (its own count, which includes every instance's) and then refuses that client without
/// judging its secret until the window ends. Another instance learns it at its own next failure, so a window allows
/// at most the budget plus one guess per instance.
/// </summary>
internal sealed class ClientAuthenticationFailures(IOptions<LockoutOptions> options, TimeProvider time)
{
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _refusedUntil = new(StringComparer.Ordinal);

    /// <summary>How long this client is still refused, or null when its secret may be judged.</summary>
    public TimeSpan? RefusedFor(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || _refusedUntil.IsEmpty || !_refusedUntil.TryGetValue(clientId, out var until))
        {
            return null;
        }
        var left = until - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            return left;
        }
        _refusedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(clientId, until));
        return null;
    }

    /// <summary>Counts one failure; returns how long the client is refused when this failure is over the budget.</summary>
    public async Task<TimeSpan?> CountAsync(string clientId, RateLimitCounters counters, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var count = await counters.IncrementAsync("client-failures:" + clientId, settings.RateLimitWindow, cancellationToken);
        if (count.Count <= settings.ClientAuthenticationFailuresPerWindow)
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (_refusedUntil.Count >= MaxRemembered)
        {
            foreach (var (id, until) in _refusedUntil.Where(entry => entry.Value <= now))
            {
                _refusedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, until));
            }
        }
        _refusedUntil[clientId] = now + count.RetryAfter;
        return count.RetryAfter;
    }
}
