using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Recovery;

/// <summary>
/// The secret of an emailed link (reset, email change): 256 random bits as base64url, living only in the mail; the
/// database keeps its <see cref="Otp.KeyedHasher"/> hash (ASVS 5.0 V6.4.1).
/// </summary>
public static class LinkTokens
{
    /// <summary>base64url of 32 random bytes.</summary>
    public const int Length = 43;

    public static string New() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Anything else is not a token we mailed, and costs no database lookup.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? token) => token is { Length: Length };
}
