using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Lockout;

/// <summary>
/// Brute-force counters of one account, in the database so every instance sees the same counts and locks.
/// Passwords and second factors are counted separately: a correct password must not reset code failures.
/// </summary>
public sealed class AccountLockout
{
    public Guid UserId { get; init; }

    public int FailedPasswords { get; set; }
    public DateTimeOffset? LastPasswordFailureAt { get; set; }
    public DateTimeOffset? PasswordLockedUntil { get; set; }

    public int FailedSecondFactors { get; set; }
    public DateTimeOffset? SecondFactorLockedUntil { get; set; }
}

internal sealed class AccountLockoutConfiguration : IEntityTypeConfiguration<AccountLockout>
{
    public void Configure(EntityTypeBuilder<AccountLockout> builder)
    {
        builder.ToTable("account_lockouts");
        builder.HasKey(l => l.UserId);
        builder.HasOne<User>().WithOne().HasForeignKey<AccountLockout>(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
