namespace Ruum.Identity.Validation;

/// <summary>Where the tokens come from and who they must be for.</summary>
public sealed class RuumIdentityValidationOptions
{
    /// <summary>The issuer, e.g. <c>https://id.ruum.es/</c>. Discovery (<c>.well-known/openid-configuration</c>) and JWKS are read from it.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The audience this API accepts (for Ruum's APIs, <c>ruum-api</c>). Tokens for any other audience are refused.</summary>
    public string Audience { get; set; } = "";

    /// <summary>How long discovery and the signing keys are cached before they are read again. Default 1 hour.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A token signed with a key the cache does not know triggers an immediate refresh, at most once per this interval
    /// (so forged key ids cannot make the API hammer the server). Default 30 seconds.
    /// </summary>
    public TimeSpan UnknownKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many validated access tokens are remembered, so a token's signature is checked once rather than on every
    /// request (expiry, audience and not-before are still checked every time). Default 4,096 (a few MB);
    /// 0 validates every request from scratch.
    /// </summary>
    public int ValidatedTokenCacheSize { get; set; } = 4096;

    /// <summary>Allow an <c>http://</c> authority. Only for local development and tests.</summary>
    public bool AllowHttpAuthority { get; set; }
}
