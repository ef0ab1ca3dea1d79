using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Login;

internal sealed class SessionProductionRules(IHostEnvironment environment) : ProductionRules<SessionOptions>(environment)
{
    protected override IEnumerable<string> Check(SessionOptions options)
    {
        if (!options.SecureCookies)
        {
            yield return $"{SessionOptions.Section}:SecureCookies is false, a plain-HTTP development value: "
                + "remove it so cookies are Secure and __Host- prefixed.";
        }
    }
}
