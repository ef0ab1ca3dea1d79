using Microsoft.AspNetCore;
using OpenIddict.Server;
using Ruum.Identity.Features.Lockout;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A client over its failed-authentication budget is refused before its credentials are judged, so a correct guess
/// after the budget is no better than a wrong one (ASVS V6.3.1 for client secrets). In memory: no database work.
/// </summary>
internal sealed class RefuseClientsOverFailureLimit<TContext>(ClientAuthenticationFailures failures) : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<RefuseClientsOverFailureLimit<TContext>>()
            .SetOrder(int.MinValue + 40_000) // before OpenIddict's first check of the request
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (failures.RefusedFor(context.Transaction.Request?.ClientId) is not { } retryAfter
            || context.Transaction.GetHttpRequest() is not { } http)
        {
            return;
        }
        await TooManyClientFailures.WriteAsync(http.HttpContext.Response, retryAfter, context.CancellationToken);
        context.HandleRequest();
    }
}
