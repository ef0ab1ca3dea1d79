using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A code or refresh token exchange writes in several steps: OpenIddict marks the presented token redeemed, then creates
/// its successor. Cut between them, the code was spent without its tokens and the client could not retry (RFC 6749
/// §4.1.2: a code is used once). One transaction makes them all or nothing; it opens as the sign-in begins and
/// <see cref="CommitTokenIssuanceTransaction"/> commits it before the response is written. A request that throws never
/// commits: returning the pooled context to its pool rolls the transaction back. Writes that must hold whatever follows
/// stay outside it: replay revocation and failure counters (validation, before it opens), and the family revocation of
/// a lost redemption race (<see cref="RedeemRefreshTokenOnce"/> abandons the transaction first).
/// SQLite (one process's embedded database, one writer at a time) keeps its separate steps: a transaction here would
/// hold the write lock that the audit log's own connection then waits for.
/// </summary>
internal sealed class BeginTokenIssuanceTransaction(RuumDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<BeginTokenIssuanceTransaction>()
            .SetOrder(int.MinValue + 50_000) // before OpenIddict's first sign-in handler
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType is not OpenIddictServerEndpointType.Token
            || !(context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType())
            || !db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null)
        {
            return;
        }
        // All or nothing is the point: a savepoint per SaveChanges would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        await db.Database.BeginTransactionAsync(context.CancellationToken);
    }

    /// <summary>Rolls the request's transaction back, when it has one: for a request that has written nothing it must keep.</summary>
    public static async Task AbandonAsync(RuumDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.RollbackAsync();
        }
    }
}
