using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Ruum.Identity.Features.Tokens;

// OpenIddict's entities give themselves a random (version 4) id in their constructor, so a value generator in the
// model never runs for them. These stores hand out the rows every sign-in and refresh writes with time-ordered
// (version 7) ids instead: inserts then append to the primary-key index rather than land on random pages of it.

public sealed class TimeOrderedTokenStore(
    IMemoryCache cache, IOpenIddictEntityFrameworkCoreContext context, IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options)
    : OpenIddictEntityFrameworkCoreTokenStore(cache, context, options)
{
    public override async ValueTask<OpenIddictEntityFrameworkCoreToken> InstantiateAsync(CancellationToken cancellationToken)
    {
        var token = await base.InstantiateAsync(cancellationToken);
        token.Id = Guid.CreateVersion7().ToString();
        return token;
    }

    /// <summary>
    /// Writes only the columns that changed: OpenIddict's store marks the whole row modified, so each refresh's
    /// redemption rewrote all twelve columns, the token's properties among them, to change three. The UPDATE still
    /// requires the concurrency token read with the row, so of two requests redeeming one token only one succeeds.
    /// A token this context does not track (or has not saved yet) goes to OpenIddict's own update.
    /// </summary>
    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var db = await Context.GetDbContextAsync(cancellationToken);
        var entry = db.Entry(token);
        if (entry.State is not (EntityState.Unchanged or EntityState.Modified))
        {
            await base.UpdateAsync(token, cancellationToken);
            return;
        }
        token.ConcurrencyToken = Guid.NewGuid().ToString();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            // As OpenIddict's store does: a later SaveChanges in this request must not retry the failed update.
            entry.State = EntityState.Unchanged;
            throw new OpenIddictExceptions.ConcurrencyException("The token was changed by another request.", exception);
        }
    }
}

public sealed class TimeOrderedAuthorizationStore(
    IMemoryCache cache, IOpenIddictEntityFrameworkCoreContext context, IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options)
    : OpenIddictEntityFrameworkCoreAuthorizationStore(cache, context, options)
{
    public override async ValueTask<OpenIddictEntityFrameworkCoreAuthorization> InstantiateAsync(CancellationToken cancellationToken)
    {
        var authorization = await base.InstantiateAsync(cancellationToken);
        authorization.Id = Guid.CreateVersion7().ToString();
        return authorization;
    }
}
