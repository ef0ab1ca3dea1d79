using OpenIddict.Abstractions;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// Records access events: one row in <c>audit_events</c> and one structured Information log line
/// (type, outcome, user id; the "business events in logs" of the security policy). Callers pass only
/// non-secret details; the request supplies IP address and user agent.
/// </summary>
public sealed partial class AuditLog(IServiceScopeFactory scopes, IHttpContextAccessor http, TimeProvider time, ILogger<AuditLog> logger)
{
    public Task RecordAsync(string type, string outcome, Guid? userId, object? details = null, string? clientId = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(type, outcome, userId, details, clientId, http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            http.HttpContext?.Request.Headers.UserAgent.ToString(), cancellationToken);

    /// <summary>An event outside any request (an aggregate written later): the caller names the client IP.</summary>
    public Task RecordFromAsync(string? ipAddress, string type, string outcome, object? details, CancellationToken cancellationToken) =>
        WriteAsync(type, outcome, null, details, null, ipAddress, null, cancellationToken);

    private async Task WriteAsync(string type, string outcome, Guid? userId, object? details, string? clientId, string? ipAddress,
        string? userAgent, CancellationToken cancellationToken)
    {
        // Its own context: an audit row must neither carry nor wait for the caller's unsaved changes.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var registeredClient = await RegisteredClientAsync(scope.ServiceProvider, clientId, cancellationToken);
            var serialized = AuditDetails.Serialize(details);
            var draft = new AuditEvent
            {
                OccurredAt = time.GetUtcNow(),
                Type = type,
                Outcome = outcome,
                UserId = userId,
                ClientId = registeredClient,
                IpAddress = ipAddress,
                UserAgent = string.IsNullOrEmpty(userAgent) ? null : userAgent[..Math.Min(userAgent.Length, AuditEvent.MaxUserAgentLength)],
                Details = serialized,
                // The company the event concerns: the id its (hashed) details name, copied to an indexed column for filtering.
                CompanyId = AuditChain.CompanyOf(serialized),
            };
            await AuditChain.AppendAsync(scope.ServiceProvider.GetRequiredService<RuumDbContext>(), draft, cancellationToken);
            LogEvent(logger, type, outcome, userId, registeredClient);
        }
    }

    /// <summary>
    /// The client id only when it names a registered client: callers may pass one read from a URL anyone can write
    /// (a sign-in's return URL), and the log must not attribute events to clients that do not exist. Cached lookups.
    /// </summary>
    private static async Task<string?> RegisteredClientAsync(IServiceProvider services, string? clientId, CancellationToken cancellationToken) =>
        clientId is null or { Length: 0 or > AuditEvent.MaxClientIdLength }
        || await services.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId, cancellationToken) is null
            ? null : clientId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {EventType} {Outcome} user {UserId} client {ClientId}")]
    private static partial void LogEvent(ILogger logger, string eventType, string outcome, Guid? userId, string? clientId);
}
