using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// OpenIddict's dispatcher, with the work that never changes between requests done once (see
/// <see cref="ServerHandlerIndex"/>). Everything else is as OpenIddict's own <see cref="OpenIddictServerDispatcher"/>
/// does it: the same handlers in the same order, filters asked on every dispatch, scoped handlers resolved from
/// the request's scope, and the pipeline stopped once a handler handles, skips or rejects the request.
/// </summary>
public sealed class IndexedServerDispatcher(
    ServerHandlerIndex index,
    IServiceProvider provider,
    ILogger<IndexedServerDispatcher> logger) : IOpenIddictServerDispatcher
{
    public async ValueTask DispatchAsync<TContext>(TContext context) where TContext : BaseContext
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var step in index.For<TContext>())
        {
            if (!await step.IsActiveAsync(context, provider))
            {
                continue;
            }
            var handler = step.Handler.From(provider);
            await handler.HandleAsync(context);

            if (context is BaseRequestContext { IsRequestHandled: true } or BaseRequestContext { IsRequestSkipped: true }
                or BaseValidatingContext { IsRejected: true })
            {
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    logger.LogDebug("{Context} ended by {Handler}.", typeof(TContext).Name, handler.GetType().FullName);
                }
                return;
            }
        }
    }
}
