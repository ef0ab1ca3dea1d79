using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>Row counts of what a bad request must never change.</summary>
public sealed record Snapshot(int Users, int Tokens, int Authorizations, int Applications, string PasswordHashes)
{
    public static async Task<Snapshot> TakeAsync(RuumServer server) =>
        await server.WithDatabaseAsync(async db => new Snapshot(
            await db.Set<User>().CountAsync(),
            await db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(),
            await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync(),
            await db.Set<OpenIddictEntityFrameworkCoreApplication>().CountAsync(),
            string.Join(",", await db.Set<User>().OrderBy(u => u.Id).Select(u => u.PasswordHash + u.SecurityStamp).ToListAsync())));
}
