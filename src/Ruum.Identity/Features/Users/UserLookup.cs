using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Users;

/// <summary>The user a session, code or refresh token names, read fresh at every token request and session check.</summary>
/// <remarks>
/// The query is compiled once, as EF would otherwise rebuild and look up its expression tree on each of those requests.
/// A singleton rather than a static: a compiled query keeps to the database provider it first ran on, and one process
/// may host both (the tests run SQLite and PostgreSQL servers side by side).
/// </remarks>
public sealed class UserLookup
{
    private readonly Func<RuumDbContext, Guid, CancellationToken, Task<User?>> byId = EF.CompileAsyncQuery(
        (RuumDbContext db, Guid id, CancellationToken _) => db.Set<User>().AsNoTracking().SingleOrDefault(u => u.Id == id));

    /// <summary>The untracked user whose id is <paramref name="subject"/>; null when it is no user id or the user is gone.</summary>
    public Task<User?> FindBySubjectAsync(RuumDbContext db, string? subject, CancellationToken cancellationToken) =>
        Guid.TryParse(subject, out var id) ? byId(db, id, cancellationToken) : Task.FromResult<User?>(null);
}
