using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Tokens;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// With a fixed issuer, a request for any other host is not for this server: <c>AllowedHosts</c> (ASP.NET Core's host
/// filtering, 400 for other hosts) must name the issuer's host and no wildcard, so a forged <c>Host</c> header cannot
/// steer redirects or links built from the request. Further names (the address a health probe uses) may follow.
/// </summary>
internal sealed class AllowedHostsProductionRules(IHostEnvironment environment, IOptions<TokenOptions> tokens)
    : ProductionRules<HostFilteringOptions>(environment)
{
    protected override IEnumerable<string> Check(HostFilteringOptions options)
    {
        if (Issuer() is not { IsAbsoluteUri: true } issuer)
        {
            yield break;
        }
        var hosts = options.AllowedHosts ?? [];
        if (hosts.Count == 0 || hosts.Any(host => host.Contains('*', StringComparison.Ordinal)))
        {
            yield return $"AllowedHosts is '{string.Join(';', hosts)}' while {TokenOptions.Section}:Issuer is set: "
                + $"set AllowedHosts={issuer.Host} (no wildcard; add other names after a ';').";
        }
        else if (!hosts.Contains(issuer.Host, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"AllowedHosts ('{string.Join(';', hosts)}') does not include {issuer.Host}, the issuer's host: add it.";
        }
    }

    // An invalid issuer is reported by IssuerProductionRules.
    private Uri? Issuer()
    {
        try
        {
            return tokens.Value.Issuer;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
