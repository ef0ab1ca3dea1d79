using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Infrastructure.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A form in a charset the server cannot read (<see cref="FormCharset"/>) is the client's error: refused with
/// <c>invalid_request</c> before OpenIddict reads the form, where UTF-7 threw and answered 500.
/// </summary>
internal sealed class RejectUnreadableFormCharset<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<RejectUnreadableFormCharset<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractGetRequest<TContext>.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transaction.GetHttpRequest() is { } request && HttpMethods.IsPost(request.Method) && !FormCharset.IsReadable(request.ContentType))
        {
            context.Reject(Errors.InvalidRequest, "The request body must be a form in UTF-8 (RFC 6749 Appendix B); its Content-Type names another charset.");
        }
        return default;
    }
}
