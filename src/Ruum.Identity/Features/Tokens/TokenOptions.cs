namespace Ruum.Identity.Features.Tokens;

/// <summary><c>Ruum:Tokens</c>: the issuer and every token lifetime, each with a safe default.</summary>
public sealed class TokenOptions
{
    public const string Section = "Ruum:Tokens";

    /// <summary>Fixed issuer (e.g. <c>https://id.ruum.es/</c>) so instances behind a load balancer agree; unset, it follows the request.</summary>
    public Uri? Issuer { get; set; }

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Answer plain client-credentials requests without OpenIddict's pipeline (<see cref="ClientCredentialsFastPath"/>).</summary>
    public bool ClientCredentialsFastPath { get; set; } = true;
}
