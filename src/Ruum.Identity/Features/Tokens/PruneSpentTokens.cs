using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Every refresh adds a token row and nothing else removes them: OpenIddict's own prune deletes tokens, then
/// authorizations, created before <see cref="PruningOptions.After"/> and no longer valid, 1,000 rows per statement.
/// </summary>
internal sealed partial class PruneSpentTokens(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    IOptions<PruningOptions> options,
    TimeProvider time,
    ILogger<PruneSpentTokens> logger) : IRetentionSweep
{
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var threshold = time.GetUtcNow() - options.Value.After;
        // Tokens first: an authorization's prune counts its remaining valid tokens.
        var prunedTokens = await tokens.PruneAsync(threshold, cancellationToken);
        var prunedAuthorizations = await authorizations.PruneAsync(threshold, cancellationToken);
        LogPruned(logger, prunedTokens, prunedAuthorizations, threshold);
        return (int)Math.Min(int.MaxValue, prunedTokens + prunedAuthorizations);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Tokens} tokens and {Authorizations} authorizations no longer valid and created before {Threshold}")]
    private static partial void LogPruned(ILogger logger, long tokens, long authorizations, DateTimeOffset threshold);
}
