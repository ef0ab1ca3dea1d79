using Microsoft.AspNetCore;
using OpenIddict.Server;
using Ruum.Identity.Features.Lockout;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Each <c>invalid_client</c> answer of the token and introspection endpoints counts toward that client id's budget;
/// the failure that goes over it is already answered 429 (see <see cref="TooManyClientFailures"/>).
/// </summary>
internal sealed class CountFailedClientAuthentication(ClientAuthenticationFailures failures, RateLimitCounters counters)
    : IOpenIddictServerHandler<ProcessErrorContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessErrorContext>()
            .UseScopedHandler<CountFailedClientAuthentication>()
            .SetOrder(int.MinValue + 50_000) // before OpenIddict writes the error response
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessErrorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType is not (OpenIddictServerEndpointType.Token or OpenIddictServerEndpointType.Introspection)
            || !string.Equals(context.Error, Errors.InvalidClient, StringComparison.Ordinal)
            || context.Transaction.Request?.ClientId is not { Length: > 0 } clientId
            || context.Transaction.GetHttpRequest() is not { } http)
        {
            return;
        }
        if (await failures.CountAsync(clientId, counters, context.CancellationToken) is { } retryAfter)
        {
            await TooManyClientFailures.WriteAsync(http.HttpContext.Response, retryAfter, context.CancellationToken);
            context.HandleRequest();
        }
    }
}
