using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// The hashing key in the source code protects no code or device token: outside Development it must be a real secret.
/// A code lives no longer than an authorization code, and the lock after wrong codes lasts at least a minute.
/// </summary>
internal sealed class OtpProductionRules(IHostEnvironment environment) : ProductionRules<OtpOptions>(environment)
{
    public const int MinimumKeyLength = 32;
    public static readonly TimeSpan MaxEmailCodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxPendingSignInLifetime = TimeSpan.FromHours(1);

    protected override IEnumerable<string> Check(OtpOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.HashingKey) || options.HashingKey == OtpOptions.DevelopmentHashingKey)
        {
            yield return $"{OtpOptions.Section}:HashingKey is missing (the development value is in use): "
                + $"set Ruum__Otp__HashingKey to a random secret of at least {MinimumKeyLength} characters.";
        }
        else if (options.HashingKey.Length < MinimumKeyLength)
        {
            yield return $"{OtpOptions.Section}:HashingKey is shorter than {MinimumKeyLength} characters.";
        }
        foreach (var failure in Infrastructure.Secrets.PreviousKeyRules.Check($"{OtpOptions.Section}:PreviousHashingKeys",
            $"{OtpOptions.Section}:HashingKeyId", options.HashingKeyId, options.PreviousHashingKeys,
            key => key != OtpOptions.DevelopmentHashingKey && key.Length >= MinimumKeyLength,
            $"a real secret of at least {MinimumKeyLength} characters"))
        {
            yield return failure;
        }
        foreach (var failure in LifetimeBounds.Failures(
            LifetimeBounds.AtMost($"{OtpOptions.Section}:EmailCodeLifetime", options.EmailCodeLifetime, MaxEmailCodeLifetime,
                "a code that lives longer gives a guesser more tries"),
            LifetimeBounds.AtMost($"{OtpOptions.Section}:PendingSignInLifetime", options.PendingSignInLifetime, MaxPendingSignInLifetime,
                "a password check must not wait for its second factor for hours"),
            LifetimeBounds.AtLeast($"{OtpOptions.Section}:FailureLockout", options.FailureLockout, Lockout.LockoutProductionRules.MinLockout,
                "wrong codes would cost a guesser nothing")))
        {
            yield return failure;
        }
    }
}
