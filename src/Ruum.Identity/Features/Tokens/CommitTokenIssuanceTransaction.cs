using OpenIddict.Server;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Commits <see cref="BeginTokenIssuanceTransaction"/>'s transaction before OpenIddict writes the token response: the
/// client receives tokens only once their rows exist. Error responses commit too: a refusal is an answer, not a fault,
/// so what the request wrote before it holds. A failed commit throws before anything is written, and the
/// client gets the same clean 503 <c>temporarily_unavailable</c> as for any other database fault.
/// </summary>
internal sealed class CommitTokenIssuanceTransaction(RuumDbContext db) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<CommitTokenIssuanceTransaction>()
            .SetOrder(int.MinValue + 50_000) // before OpenIddict attaches and writes the response
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.CommitAsync(context.CancellationToken);
        }
    }
}
