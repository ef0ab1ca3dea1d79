using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Admin.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>What a user's companies demand of their sign-in, the strictest of them combined.</summary>
public sealed record SecurityPolicy(bool RequireAuthenticator, bool TrustedDevicesAllowed, TimeSpan? MaxSession)
{
    /// <summary>A user of no company: nothing beyond the server's own rules.</summary>
    public static SecurityPolicy None { get; } = new(false, true, null);

    /// <summary>Whether an emailed code may stand as this user's second factor (at sign-in and on the password-reset page).</summary>
    public bool EmailCodesAllowed => !RequireAuthenticator;
}

/// <summary>
/// The one place that answers "what does this user's company policy allow?": the sign-in (which second factor, trusted
/// devices, the session's lifetime) and the password-reset page ask here. Read at every sign-in, so a changed policy
/// applies at the members' next sign-in.
/// </summary>
public sealed class SecurityPolicies(RuumDbContext db)
{
    public async Task<SecurityPolicy> ForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        var companies = await db.Set<Company>().AsNoTracking()
            .Where(c => db.Set<CompanyMembership>().Any(m => m.CompanyId == c.Id && m.UserId == userId)
                // An invited person between choosing a password and their second factor has no membership yet, but the
                // inviting company's policy already decides which second factor they enrol.
                || db.Set<Invitation>().Any(i => i.CompanyId == c.Id && i.UserId == userId
                    && i.AcceptedAt != null && i.CompletedAt == null && i.RevokedAt == null))
            .Select(c => new { c.RequireAuthenticator, c.ForbidTrustedDevices, c.MaxSessionMinutes })
            .ToListAsync(cancellationToken);
        if (companies.Count == 0)
        {
            return SecurityPolicy.None;
        }
        var shortest = companies.Min(c => c.MaxSessionMinutes);
        return new SecurityPolicy(
            companies.Any(c => c.RequireAuthenticator),
            !companies.Any(c => c.ForbidTrustedDevices),
            shortest is { } minutes ? TimeSpan.FromMinutes(minutes) : null);
    }
}
