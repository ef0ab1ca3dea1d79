using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary><c>Ruum:Https</c>: outside Development every plain-HTTP request is redirected and HTTPS answers carry HSTS.</summary>
public sealed class HttpsOptions
{
    public const string Section = "Ruum:Https";

    /// <summary>The public HTTPS port redirects point to (the proxy's, not Kestrel's).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 443;

    /// <summary>RFC 6797 max-age; a year is what browsers' preload lists expect.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}
