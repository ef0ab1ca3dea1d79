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

/// <summary>Loads the configured keys once at start-up, so a missing or unreadable key stops the server, not the first token request.</summary>
internal sealed class SigningProductionRules(IHostEnvironment environment) : ProductionRules<SigningOptions>(environment)
{
    protected override IEnumerable<string> Check(SigningOptions options)
    {
        var keys = new SigningKeys(Options.Create(options), Environment);
        var failures = new List<string>();
        Try(() => keys.LoadSigningKeys(), $"{SigningOptions.Section}:Keys", failures);
        Try(() => keys.LoadEncryptionKey(), $"{SigningOptions.Section}:EncryptionKey", failures);
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
