using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Database;

/// <summary>Every refresh redeems a token row: PostgreSQL must rewrite it in place, without writing to the table's indexes.</summary>
public sealed class TokenRedemptionTests
{
    [Fact]
    public async Task RedeemingARefreshToken_IsAHotUpdate()
    {
        await using var server = await RuumServer.StartAsync();

        await server.WithServicesAsync(async services =>
        {
            var tokens = services.GetRequiredService<IOpenIddictTokenManager>();
            var db = services.GetRequiredService<RuumDbContext>();
            var token = await tokens.CreateAsync(new OpenIddictTokenDescriptor
            {
                Type = TokenTypeHints.RefreshToken,
                Status = Statuses.Valid,
                Subject = Guid.NewGuid().ToString(),
                CreationDate = DateTimeOffset.UtcNow,
                ExpirationDate = DateTimeOffset.UtcNow.AddDays(1),
            });

            // The transaction's own statistics count its updates, and how many of them were HOT.
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.True(await tokens.TryRedeemAsync(token));
            var updated = await CountAsync(db, "SELECT pg_stat_get_xact_tuples_updated('\"OpenIddictTokens\"'::regclass) AS \"Value\"");
            var hot = await CountAsync(db, "SELECT pg_stat_get_xact_tuples_hot_updated('\"OpenIddictTokens\"'::regclass) AS \"Value\"");

            Assert.Equal(1, updated);
            Assert.Equal(1, hot);
            Assert.Equal(Statuses.Redeemed, await tokens.GetStatusAsync(token));
        });
    }

    private static Task<long> CountAsync(RuumDbContext db, string sql) => db.Database.SqlQueryRaw<long>(sql).SingleAsync();
}
