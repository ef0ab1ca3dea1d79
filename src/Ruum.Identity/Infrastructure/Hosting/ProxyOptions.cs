using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// <c>Ruum:Proxy</c>: who may tell us the client's address and scheme. <c>X-Forwarded-For</c>/<c>-Proto</c>
/// are believed only from these; anyone else could claim HTTPS or someone else's address. Empty trusts no one.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Ruum:Proxy";

    /// <summary>Single proxy addresses, e.g. <c>10.0.0.12</c>.</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/8</c> (Render's internal network).</summary>
    public List<string> KnownNetworks { get; } = [];

    /// <summary>How many proxy hops to unwind; Render has one.</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{Section}:KnownProxies has '{proxy}', which is not an IP address.");
        }
        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"{Section}:KnownNetworks has '{network}', which is not a CIDR network like 10.0.0.0/8.");
        }
    }
}
