using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using SessionOptions = Ruum.Identity.Features.Login.SessionOptions;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Sessions;

/// <summary>
/// The session cookie's <see cref="ITicketStore"/>: the cookie carries only a row's id, the ticket stays in
/// <c>browser_sessions</c>. A deleted row is a dead cookie on every instance at once, copies included (ASVS V7.4.1).
/// Signing in again in the same browser (a credential change, a new second factor) renews the same row.
/// </summary>
internal sealed class BrowserSessionStore(IDataProtectionProvider protection, TimeProvider time, IOptions<SessionOptions> options)
    : ITicketStore
{
    /// <summary>
    /// "Last seen" is written at most this often: a write on every request would double the database work of every
    /// page and authorization request for a value the idle timeout (an hour by default) needs only to the minute.
    /// </summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private readonly IDataProtector _protector = protection.CreateProtector("Ruum.Sessions.Ticket");

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(httpContext);
        var now = time.GetUtcNow();
        var session = new BrowserSession
        {
            UserId = ticket.Principal.UserIdOrEmpty(),
            CreatedAt = now,
            LastSeenAt = now,
            IpAddress = httpContext.Connection.RemoteIpAddress?.ToString(),
            DeviceLabel = DeviceFingerprint.From(httpContext.Request.Headers.UserAgent.ToString()).Label,
            Methods = MethodsOf(ticket.Principal),
            Ticket = Protect(ticket),
        };
        // Its own context: the caller's unsaved changes must not ride along with the session's INSERT.
        await using var scope = httpContext.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RuumDbContext>();
        db.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id.ToString();
    }

    /// <summary>
    /// The same browser signed in again: the same row, with the new ticket. A new authentication (a later
    /// <c>auth_time</c>: <c>prompt=login</c>, a re-authentication) restarts the row's absolute lifetime; another user
    /// also starts its client list afresh. A row ended meanwhile stays ended.
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!Guid.TryParse(key, out var id))
        {
            return;
        }
        await using var scope = httpContext.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RuumDbContext>();
        var session = await db.Set<BrowserSession>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null)
        {
            return;
        }
        var userId = ticket.Principal.UserIdOrEmpty();
        var authTime = SignInFacts.ReadFrom(ticket.Principal)?.AuthTime;
        var anotherUser = userId != session.UserId;
        if (anotherUser || authTime > session.CreatedAt)
        {
            session.CreatedAt = time.GetUtcNow();
        }
        if (anotherUser)
        {
            session.UserId = userId;
            session.ClientIds = "";
        }
        session.Methods = MethodsOf(ticket.Principal);
        session.Ticket = Protect(ticket);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The ticket of a live session, with its id as <see cref="SessionClaims.SessionId"/>; a timed-out row is deleted.</summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!Guid.TryParse(key, out var id))
        {
            return null;
        }
        var db = httpContext.RequestServices.GetRequiredService<RuumDbContext>();
        var session = await db.Set<BrowserSession>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var ticket = Unprotect(session.Ticket);
        // A company policy may end a session before the server's absolute timeout: the sign-in wrote when.
        if (HasTimedOut(session, now, options.Value) || (ticket is not null && SignInFacts.ReadFrom(ticket.Principal)?.SessionEndsAt <= now))
        {
            if (await db.Set<BrowserSession>().Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) == 1)
            {
                await httpContext.RequestServices.GetRequiredService<AuditLog>().RecordAsync(AuditEventTypes.SessionEnded, AuditOutcomes.Success,
                    session.UserId, new { ended_by = SessionEndedBy.Timeout, sessions = 1 }, cancellationToken: cancellationToken);
            }
            return null;
        }
        if (now - session.LastSeenAt >= LastSeenResolution)
        {
            await db.Set<BrowserSession>().Where(s => s.Id == id && s.LastSeenAt < now)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastSeenAt, now), cancellationToken);
        }
        if (ticket?.Principal.Identity is not ClaimsIdentity identity)
        {
            return null;
        }
        identity.SetClaim(SessionClaims.SessionId, key);
        httpContext.Features.Set(session);
        return ticket;
    }

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (Guid.TryParse(key, out var id))
        {
            await httpContext.RequestServices.GetRequiredService<RuumDbContext>().Set<BrowserSession>().Where(s => s.Id == id)
                .ExecuteDeleteAsync(cancellationToken);
        }
    }

    internal static bool HasTimedOut(BrowserSession session, DateTimeOffset now, SessionOptions options) =>
        now - session.LastSeenAt > options.IdleTimeout || now - session.CreatedAt > options.AbsoluteTimeout;

    // The cookie handler calls the overloads with the request; these exist only to satisfy the interface.
    public Task<string> StoreAsync(AuthenticationTicket ticket) => throw new NotSupportedException("The session store needs the request.");

    public Task RenewAsync(string key, AuthenticationTicket ticket) => throw new NotSupportedException("The session store needs the request.");

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => throw new NotSupportedException("The session store needs the request.");

    public Task RemoveAsync(string key) => throw new NotSupportedException("The session store needs the request.");

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private AuthenticationTicket? Unprotect(byte[] protectedTicket)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(protectedTicket));
        }
        catch (CryptographicException)
        {
            // A key ring that lost the key: the session is unreadable, so it is no session.
            return null;
        }
    }

    private static string MethodsOf(ClaimsPrincipal principal)
    {
        var methods = string.Join(' ', SignInFacts.ReadFrom(principal)?.Methods ?? []);
        return methods.Length <= 100 ? methods : methods[..100];
    }
}

/// <summary>Claims the session principal carries.</summary>
public static class SessionClaims
{
    /// <summary>
    /// The browser session's id: set on the principal when the ticket is read, and copied (with no destination) into
    /// authorization codes and refresh tokens, so RP-initiated logout finds the refresh tokens issued in a session.
    /// </summary>
    public const string SessionId = "ruum_session";

    public static Guid? SessionIdOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal?.GetClaim(SessionId), out var id) ? id : null;

    internal static Guid UserIdOrEmpty(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetClaim(Claims.Subject), out var id) ? id : Guid.Empty;
}

/// <summary>Who ended a session (the <c>ended_by</c> of <see cref="AuditEventTypes.SessionEnded"/>).</summary>
public static class SessionEndedBy
{
    public const string User = "user";
    public const string SignOutEverywhere = "sign_out_everywhere";
    public const string Admin = "admin";
    public const string Timeout = "timeout";
    public const string CredentialsChanged = "credentials_changed";
    public const string Incident = "incident";
}
