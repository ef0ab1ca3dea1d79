using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using SessionOptions = Ruum.Identity.Features.Login.SessionOptions;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Sessions;

/// <summary>A user's browser sessions: list them, end them, and find what each one signed into.</summary>
public sealed class BrowserSessions(RuumDbContext db, AuditLog audit, TimeProvider time, IOptions<SessionOptions> options)
{
    /// <summary>Sessions still within their idle and absolute timeouts, most recently seen first.</summary>
    public async Task<IReadOnlyList<BrowserSession>> ListLiveAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await db.Set<BrowserSession>().AsNoTracking().Where(s => s.UserId == userId).ToListAsync(cancellationToken);
        // A user has a handful of rows: filtered and ordered here, by the same rule the session store applies.
        return [.. rows.Where(s => !BrowserSessionStore.HasTimedOut(s, now, options.Value)).OrderByDescending(s => s.LastSeenAt)];
    }

    /// <summary>Ends one of the user's sessions and revokes the refresh tokens issued in it; another user's id ends nothing.</summary>
    public async Task<bool> EndAsync(Guid userId, Guid sessionId, string endedBy, CancellationToken cancellationToken)
    {
        var ended = await db.Set<BrowserSession>().Where(s => s.Id == sessionId && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (ended == 0)
        {
            return false;
        }
        await RevokeRefreshTokensAsync(userId, sessionId, clientId: null, cancellationToken);
        await audit.RecordAsync(AuditEventTypes.SessionEnded, AuditOutcomes.Success, userId, new { ended_by = endedBy, sessions = 1 },
            cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>Ends every session of the user but <paramref name="except"/> (the current browser's, when it stays).</summary>
    public async Task<int> EndAllAsync(Guid userId, Guid? except, string endedBy, CancellationToken cancellationToken)
    {
        var ended = await db.Set<BrowserSession>().Where(s => s.UserId == userId && s.Id != except).ExecuteDeleteAsync(cancellationToken);
        if (ended > 0)
        {
            await audit.RecordAsync(AuditEventTypes.SessionEnded, AuditOutcomes.Success, userId, new { ended_by = endedBy, sessions = ended },
                cancellationToken: cancellationToken);
        }
        return ended;
    }

    /// <summary>Notes that the session signed into a client (shown on the sessions page); one UPDATE the first time only.</summary>
    public async Task RecordClientAsync(HttpContext context, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<BrowserSession>() is not { } session || session.Clients.Contains(clientId, StringComparer.Ordinal))
        {
            return;
        }
        var clients = (session.ClientIds + " " + clientId).Trim();
        if (clients.Length <= BrowserSession.MaxClientIdsLength)
        {
            session.ClientIds = clients;
            await db.Set<BrowserSession>().Where(s => s.Id == session.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.ClientIds, clients), cancellationToken);
        }
    }

    /// <summary>
    /// Revokes the user's valid refresh tokens issued in one session (for one client, or all), as tagged by
    /// <see cref="SessionTaggingTokenManager{TToken}"/>. Their JSON properties hold the session id, a GUID no other
    /// value contains.
    /// </summary>
    public async Task<int> RevokeRefreshTokensAsync(Guid userId, Guid sessionId, string? clientId, CancellationToken cancellationToken)
    {
        var subject = userId.ToString();
        var tag = sessionId.ToString();
        var tokens = db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == subject && t.Type == TokenTypeIdentifiers.RefreshToken && t.Status == Statuses.Valid
                && t.Properties != null && t.Properties.Contains(tag));
        if (clientId is not null)
        {
            tokens = tokens.Where(t => t.Application!.ClientId == clientId);
        }
        var concurrency = Guid.NewGuid().ToString();
        return await tokens.ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, Statuses.Revoked)
            .SetProperty(t => t.ConcurrencyToken, concurrency), cancellationToken);
    }
}
