using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// The "password passed, second factor pending" state: a database row, referenced from the browser by a
/// short-lived Data-Protected cookie. Nothing is issued (no session, no code, no token) until it completes.
/// </summary>
public sealed class PendingSignIns(RuumDbContext db, IDataProtectionProvider protection, IOptions<OtpOptions> options,
    IOptions<Login.SessionOptions> session, TimeProvider time)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Ruum.Otp.PendingSignIn");

    public string CookieName => session.Value.CookieName("ruum.second-factor");

    public async Task<PendingSignIn> StartAsync(HttpContext context, User user, SecondFactorMethod method, string? returnUrl,
        string? clientId, CancellationToken cancellationToken, Guid? sharesCodeOf = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var pending = new PendingSignIn
        {
            UserId = user.Id,
            Method = method,
            SecurityStamp = user.SecurityStamp,
            ReturnUrl = returnUrl is { Length: <= 4000 } ? returnUrl : null,
            ClientId = clientId is { Length: <= 100 } ? clientId : null,
            CreatedAt = now,
            ExpiresAt = now + options.Value.PendingSignInLifetime,
            SharesCodeOf = sharesCodeOf,
        };
        db.Add(pending);
        await db.SaveChangesAsync(cancellationToken);
        context.Response.Cookies.Append(CookieName, _protector.Protect(pending.Id.ToString("N")), new CookieOptions
        {
            HttpOnly = true,
            Secure = session.Value.SecureCookies,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
            Expires = pending.ExpiresAt,
        });
        return pending;
    }

    /// <summary>The live pending sign-in of this browser with its user, or null (no cookie, tampered, expired, finished, credentials changed).</summary>
    public async Task<(PendingSignIn Pending, User User)?> FindAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cookie = context.Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 1000)
        {
            return null;
        }
        Guid id;
        try
        {
            if (!Guid.TryParseExact(_protector.Unprotect(cookie), "N", out id))
            {
                return null;
            }
        }
        catch (CryptographicException)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var found = await db.Set<PendingSignIn>().AsNoTracking()
            .Where(p => p.Id == id && p.CompletedAt == null && p.ExpiresAt > now)
            .Join(db.Set<User>().AsNoTracking(), p => p.UserId, u => u.Id, (p, u) => new { Pending = p, User = u })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !found.User.IsEnabled || found.User.SecurityStamp != found.Pending.SecurityStamp)
        {
            return null;
        }
        return (found.Pending, found.User);
    }

    /// <summary>Marks it finished; only the first of two racing requests wins, so one pending sign-in yields one session.</summary>
    public async Task<bool> CompleteAsync(HttpContext context, PendingSignIn pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pending);
        var now = time.GetUtcNow();
        var won = await db.Set<PendingSignIn>().Where(p => p.Id == pending.Id && p.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CompletedAt, now), cancellationToken) > 0;
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", Secure = session.Value.SecureCookies });
        return won;
    }
}
