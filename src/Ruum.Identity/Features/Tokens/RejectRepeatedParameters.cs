using System.Collections.Immutable;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// RFC 6749 §3.1: a request parameter must not be sent more than once. OpenIddict reads a repeated one as an array
/// and then as absent (<c>scope=a&amp;scope=a</c> got a token with no scope at all), so the client's request is
/// refused with <c>invalid_request</c> naming it. <c>resource</c> (RFC 8707) and <c>audience</c> (RFC 8693) may repeat.
/// At the authorization and end-session endpoints the redirect address is not validated yet, so the error page shows it.
/// </summary>
internal sealed class RejectRepeatedParameters<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<RejectRepeatedParameters<TContext>>()
            .SetOrder(int.MinValue + 50_000) // before OpenIddict's first check of the request
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transaction.Request is not { } request)
        {
            return default;
        }
        foreach (var (name, value) in request.GetParameters())
        {
            if (value.GetRawValue() is ImmutableArray<string> { Length: > 1 } && name is not Parameters.Resource and not Parameters.Audience)
            {
                context.Reject(Errors.InvalidRequest, $"The '{name}' parameter must not be sent more than once.");
                return default;
            }
        }
        return default;
    }
}
