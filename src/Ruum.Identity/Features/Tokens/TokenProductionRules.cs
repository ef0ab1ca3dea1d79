using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Tokens;

/// <summary>A fixed https issuer: tokens from one instance must validate at another, and never name http (OIDC Discovery §3).</summary>
internal sealed class IssuerProductionRules(IHostEnvironment environment) : ProductionRules<TokenOptions>(environment)
{
    protected override IEnumerable<string> Check(TokenOptions options)
    {
        if (options.Issuer is null)
        {
            yield return $"{TokenOptions.Section}:Issuer is missing: set Ruum__Tokens__Issuer to the public https URL, e.g. https://id.ruum.es/.";
        }
        else if (!options.Issuer.IsAbsoluteUri || options.Issuer.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"{TokenOptions.Section}:Issuer must be an absolute https URL (it is '{options.Issuer}').";
        }
    }
}

/// <summary>
/// How long a stolen token or code stays useful: bounded in Production whatever the configuration says (codes per
/// RFC 6749 §4.1.2, refresh-token families per RFC 9700 §4.14 and ASVS V10.4.8), and never zero or negative.
/// </summary>
internal sealed class TokenLifetimeProductionRules(IHostEnvironment environment) : ProductionRules<TokenOptions>(environment)
{
    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxRefreshTokenLifetime = TimeSpan.FromDays(90);
    public static readonly TimeSpan MaxAuthorizationCodeLifetime = TimeSpan.FromMinutes(10);

    protected override IEnumerable<string> Check(TokenOptions options) => LifetimeBounds.Failures(
        LifetimeBounds.AtMost($"{TokenOptions.Section}:AccessTokenLifetime", options.AccessTokenLifetime, MaxAccessTokenLifetime,
            "a bearer token cannot be recalled once issued"),
        LifetimeBounds.AtMost($"{TokenOptions.Section}:IdentityTokenLifetime", options.IdentityTokenLifetime, MaxAccessTokenLifetime,
            "an ID token is a short-lived statement of a sign-in"),
        LifetimeBounds.AtMost($"{TokenOptions.Section}:RefreshTokenLifetime", options.RefreshTokenLifetime, MaxRefreshTokenLifetime,
            "a refresh-token family must end and make the user sign in again"),
        LifetimeBounds.AtMost($"{TokenOptions.Section}:AuthorizationCodeLifetime", options.AuthorizationCodeLifetime, MaxAuthorizationCodeLifetime,
            "RFC 6749 §4.1.2 recommends at most 10 minutes"));
}

/// <summary>
/// Loads the configured keys once at start-up, so a missing, unreadable, weak or mislabelled key (<see cref="SigningKeyChecks"/>)
/// stops the server, not the first token request.
/// </summary>
internal sealed class SigningProductionRules(IHostEnvironment environment) : ProductionRules<SigningOptions>(environment)
{
    protected override IEnumerable<string> Check(SigningOptions options)
    {
        var keys = new SigningKeys(Options.Create(options), Environment);
        var failures = new List<string>();
        Try(() => failures.AddRange(keys.LoadSigningCredentials().SelectMany(SigningKeyChecks.Problems)),
            $"{SigningOptions.Section}:Keys", failures);
        // The current key and the earlier ones (each 32 bytes, each under its own id).
        Try(() => keys.LoadEncryptionKeys(), $"{SigningOptions.Section}:EncryptionKey", failures);
        return failures;
    }

    private static void Try(Action load, string setting, List<string> failures)
    {
        try
        {
            load();
        }
        catch (Exception exception) when (exception is InvalidOperationException or CryptographicException
                                              or ArgumentException or FormatException or IOException)
        {
            failures.Add(exception.Message.StartsWith(setting, StringComparison.Ordinal)
                ? exception.Message
                : $"{setting} could not be loaded: {exception.Message}");
        }
    }
}
