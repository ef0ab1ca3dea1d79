using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Login;

internal sealed class SessionProductionRules(IHostEnvironment environment) : ProductionRules<SessionOptions>(environment)
{
    /// <summary>A session at the identity provider vouches for every client's next sign-in: a week at most.</summary>
    public static readonly TimeSpan MaxAbsoluteTimeout = TimeSpan.FromDays(7);

    /// <summary>Past this, a credential change no longer proves the person is still at the keyboard.</summary>
    public static readonly TimeSpan MaxReauthenticationWindow = TimeSpan.FromMinutes(15);

    protected override IEnumerable<string> Check(SessionOptions options)
    {
        if (!options.SecureCookies)
        {
            yield return $"{SessionOptions.Section}:SecureCookies is false, a plain-HTTP development value: "
                + "remove it so cookies are Secure and __Host- prefixed.";
        }
        foreach (var failure in LifetimeBounds.Failures(
            LifetimeBounds.AtMost($"{SessionOptions.Section}:AbsoluteTimeout", options.AbsoluteTimeout, MaxAbsoluteTimeout,
                "the user must sign in again at least weekly"),
            LifetimeBounds.AtMost($"{SessionOptions.Section}:IdleTimeout", options.IdleTimeout, MaxAbsoluteTimeout,
                "the user must sign in again at least weekly"),
            LifetimeBounds.AtMost($"{SessionOptions.Section}:ReauthenticationWindow", options.ReauthenticationWindow, MaxReauthenticationWindow,
                "a credential change must follow a recent password and second factor")))
        {
            yield return failure;
        }
        if (options.IdleTimeout > options.AbsoluteTimeout)
        {
            yield return $"{SessionOptions.Section}:IdleTimeout ({options.IdleTimeout}) is longer than "
                + $"{SessionOptions.Section}:AbsoluteTimeout ({options.AbsoluteTimeout}): the session would end before it could idle out.";
        }
    }
}
