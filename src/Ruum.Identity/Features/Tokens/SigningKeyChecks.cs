using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Whether a signing key is strong enough for, and of the type of, the algorithm it signs: RSA of at least 2048 bits
/// (NIST SP 800-57: 112-bit security) for RS256, and for ESxxx the EC curve that algorithm names (RFC 7518 §3.4).
/// </summary>
internal static class SigningKeyChecks
{
    public const int MinimumRsaBits = 2048;

    /// <summary>The curve an ECDSA algorithm requires, or null for an algorithm that is not ECDSA.</summary>
    public static ECCurve? CurveFor(string algorithm) => algorithm switch
    {
        SecurityAlgorithms.EcdsaSha256 => ECCurve.NamedCurves.nistP256,
        SecurityAlgorithms.EcdsaSha384 => ECCurve.NamedCurves.nistP384,
        SecurityAlgorithms.EcdsaSha512 => ECCurve.NamedCurves.nistP521,
        _ => null,
    };

    /// <summary>What is wrong with key <paramref name="index"/> (named as its setting), or nothing.</summary>
    public static IEnumerable<string> Problems(SigningCredentials credentials, int index)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var (rsaBits, ecCurve) = KeyOf(credentials.Key);
        var setting = $"{SigningOptions.Section}:Keys:{index}" + (credentials.Key is X509SecurityKey ? ":PfxFile" : "");
        var algorithm = credentials.Algorithm;
        var curve = CurveFor(algorithm);
        if (curve is null && ecCurve is not null)
        {
            yield return $"{setting} holds an EC key but signs {algorithm}: set {SigningOptions.Section}:Keys:{index}:Algorithm "
                + "to the ESxxx of its curve (ES256 for P-256), or use an RSA key.";
        }
        else if (curve is { } required && rsaBits is not null)
        {
            yield return $"{setting} holds an RSA key but signs {algorithm}, an EC algorithm: use a {Name(required)} EC key or Algorithm RS256.";
        }
        else if (curve is { } expected && ecCurve is { } actual && !SameCurve(actual, expected))
        {
            yield return $"{setting} is an EC key on {Name(actual)} but signs {algorithm}, which needs {Name(expected)}: "
                + $"use a {Name(expected)} key, or set {SigningOptions.Section}:Keys:{index}:Algorithm to the algorithm of its curve.";
        }
        if (rsaBits < MinimumRsaBits)
        {
            yield return $"{setting} is an RSA key of {rsaBits} bits: signing keys need at least {MinimumRsaBits}.";
        }
    }

    // The RSA modulus size, or the EC curve, of the key.
    private static (int? RsaBits, ECCurve? Curve) KeyOf(SecurityKey key)
    {
        switch (key)
        {
            case RsaSecurityKey rsa:
                return (rsa.KeySize, null);
            case ECDsaSecurityKey ec:
                return (null, ec.ECDsa.ExportParameters(false).Curve);
            case X509SecurityKey x509:
                using (var rsa = x509.Certificate.GetRSAPublicKey())
                using (var ec = x509.Certificate.GetECDsaPublicKey())
                {
                    return (rsa?.KeySize, ec?.ExportParameters(false).Curve);
                }
            default:
                return (null, null);
        }
    }

    private static bool SameCurve(ECCurve actual, ECCurve expected) =>
        (actual.Oid.Value is { } value && value == expected.Oid.Value)
        || (actual.Oid.FriendlyName is { } name && name == expected.Oid.FriendlyName);

    private static string Name(ECCurve curve) => (curve.Oid.FriendlyName ?? curve.Oid.Value) switch
    {
        "nistP256" or "ECDSA_P256" or "1.2.840.10045.3.1.7" => "P-256",
        "nistP384" or "ECDSA_P384" or "1.3.132.0.34" => "P-384",
        "nistP521" or "ECDSA_P521" or "1.3.132.0.35" => "P-521",
        var other => other ?? "an unnamed curve",
    };
}
