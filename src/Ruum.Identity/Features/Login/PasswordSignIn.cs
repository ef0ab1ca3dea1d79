using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Login;

/// <summary>
/// The password step: exactly one bcrypt verification per attempt, known email or not, inside the
/// <see cref="PasswordVerificationGate"/> (which throws <see cref="PasswordVerificationBusyException"/>, a 503, when full).
/// </summary>
public sealed class PasswordSignIn(RuumDbContext db, PasswordHasher hasher, PasswordVerificationGate gate, TimeProvider time)
{
    /// <returns>The user when the password is right and the account may sign in; otherwise null, whatever the reason.</returns>
    public async Task<User?> VerifyAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        var user = await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var check = await gate.RunAsync(() => hasher.Verify(password, user?.PasswordHash), cancellationToken);
        if (user is null || check == PasswordCheck.Failed || !user.IsEnabled)
        {
            return null;
        }
        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.Hash(password);
            user.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        return user;
    }
}
