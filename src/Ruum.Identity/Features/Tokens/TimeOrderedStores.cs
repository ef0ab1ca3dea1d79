using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
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
