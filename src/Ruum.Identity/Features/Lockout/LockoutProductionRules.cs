using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Lockout;

/// <summary>A lock shorter than a minute lets a guesser resume almost at once: in Production it lasts at least one.</summary>
internal sealed class LockoutProductionRules(IHostEnvironment environment) : ProductionRules<LockoutOptions>(environment)
{
    public static readonly TimeSpan MinLockout = TimeSpan.FromMinutes(1);

    protected override IEnumerable<string> Check(LockoutOptions options) => LifetimeBounds.Failures(
        LifetimeBounds.AtLeast($"{LockoutOptions.Section}:LockoutDuration", options.LockoutDuration, MinLockout,
            "wrong passwords would cost a guesser nothing"),
        options.FirstDelay <= TimeSpan.Zero ? $"{LockoutOptions.Section}:FirstDelay is {options.FirstDelay}: it must be positive." : null,
        options.RateLimitWindow <= TimeSpan.Zero ? $"{LockoutOptions.Section}:RateLimitWindow is {options.RateLimitWindow}: it must be positive." : null);
}
