using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// RFC 6749 §2.3: a client authenticates one way per request. OpenIddict reads Basic credentials over the body's
/// <c>client_id</c>, so <c>Authorization: Basic dev-service:…</c> with <c>client_id=dev-spa</c> in the form was served as
/// dev-service. A body <c>client_id</c> that is not the client the request authenticated as is refused with
/// <c>invalid_request</c> before anything else is checked.
/// </summary>
internal sealed class RejectConflictingClientIds<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<RejectConflictingClientIds<TContext>>()
            // Before OpenIddict's first check, after RejectRepeatedParameters (a repeated client_id is named as repeated):
            // equal orders would leave it to OpenIddict's unstable sort.
            .SetOrder(int.MinValue + 60_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transaction.Request is not { } request || context.Transaction.GetHttpRequest() is not { HasFormContentType: true } http)
        {
            return;
        }
        // The form OpenIddict parsed, as sent: the request's ClientId may since have been taken from the Authorization header.
        var form = await http.ReadFormAsync(context.CancellationToken);
        if (form.TryGetValue(Parameters.ClientId, out var sent) && !string.Equals(sent.ToString(), request.ClientId, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidRequest,
                "The 'client_id' parameter names another client than the one the Authorization header authenticates.");
        }
    }
}
