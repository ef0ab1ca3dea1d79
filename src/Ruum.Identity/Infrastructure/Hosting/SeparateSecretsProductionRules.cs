using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// One secret per purpose: a value copied into two settings means one leak (or one rotation) touches both, and a
/// keyed hash made for one purpose could be replayed as the other. Compared in constant time; messages name the
/// two settings, never the value. Registered on the pepper's options, the secret whose leak costs the most.
/// </summary>
internal sealed class SeparateSecretsProductionRules(
    IHostEnvironment environment,
    IOptions<OtpOptions> otp,
    IOptions<ClientOptions> clients,
    IOptions<SigningOptions> signing) : ProductionRules<PasswordOptions>(environment)
{
    protected override IEnumerable<string> Check(PasswordOptions options)
    {
        var secrets = new (string Setting, string? Value)[]
        {
            ($"{PasswordOptions.Section}:Pepper", options.Pepper),
            ($"{OtpOptions.Section}:HashingKey", Read(() => otp.Value.HashingKey)),
            ($"{ClientOptions.Section}:SecretHashKey", Read(() => clients.Value.SecretHashKey)),
            ($"{SigningOptions.Section}:EncryptionKey", Read(() => signing.Value.EncryptionKey)),
        };
        for (var first = 0; first < secrets.Length; first++)
        {
            for (var second = first + 1; second < secrets.Length; second++)
            {
                if (Same(secrets[first].Value, secrets[second].Value))
                {
                    yield return $"{secrets[first].Setting} and {secrets[second].Setting} hold the same secret: "
                        + "give each its own random value.";
                }
            }
        }
    }

    private static bool Same(string? first, string? second) =>
        !string.IsNullOrEmpty(first) && !string.IsNullOrEmpty(second)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(first.Trim()), Encoding.UTF8.GetBytes(second.Trim()));

    // Options that fail their own validation report it themselves; here they are only not compared.
    private static string? Read(Func<string?> value)
    {
        try
        {
            return value();
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
