using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Login;

public enum PasswordOutcome
{
    Success,
    UnknownEmail,
    WrongPassword,
    Disabled,
}

/// <param name="User">The account the email names, whatever the outcome (null for an unknown email).</param>
public sealed record PasswordAttempt(PasswordOutcome Outcome, User? User);

/// <summary>
/// The password step: exactly one bcrypt verification per attempt, known email or not, inside the
/// <see cref="PasswordVerificationGate"/> (which throws <see cref="PasswordVerificationBusyException"/>, a 503, when full).
/// </summary>
public sealed class PasswordSignIn(RuumDbContext db, PasswordHasher hasher, PasswordVerificationGate gate, TimeProvider time)
{
    /// <returns>The outcome, for counting and auditing; the page shows the same message for every failure.</returns>
    public async Task<PasswordAttempt> VerifyAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        var user = await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        // A rehash after the work factor rose is a second bcrypt: it runs in the same slot of the gate.
        var (check, rehash) = await gate.RunAsync(() =>
        {
            var verified = hasher.Verify(password, user?.PasswordHash);
            return (verified, verified == PasswordCheck.SuccessRehashNeeded && user is { IsEnabled: true } ? hasher.Hash(password) : null);
        }, cancellationToken);
        if (user is null)
        {
            return new(PasswordOutcome.UnknownEmail, null);
        }
        if (check == PasswordCheck.Failed)
        {
            return new(PasswordOutcome.WrongPassword, user);
        }
        if (!user.IsEnabled)
        {
            return new(PasswordOutcome.Disabled, user);
        }
        if (rehash is not null)
        {
            user.PasswordHash = rehash;
            user.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        return new(PasswordOutcome.Success, user);
    }
}
