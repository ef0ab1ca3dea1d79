using OpenIddict.Abstractions;
using Ruum.Identity.Features.Tokens;

namespace Ruum.Identity.Features.Sessions;

/// <summary>
/// "Sign out everywhere": every browser session, every refresh token, and (through the user's access-token cutoff) every
/// access token introspection or userinfo is asked about. APIs that validate offline stop those only at expiry.
/// </summary>
public sealed class SignOutEverywhere(BrowserSessions sessions, IOpenIddictTokenManager tokens, AccessTokenCutoffs cutoffs)
{
    public async Task ApplyAsync(Guid userId, string endedBy, CancellationToken cancellationToken)
    {
        await sessions.EndAllAsync(userId, except: null, endedBy, cancellationToken);
        await tokens.RevokeBySubjectAsync(userId.ToString(), cancellationToken);
        await cutoffs.RevokeIssuedToUserAsync(userId, cancellationToken);
    }
}
