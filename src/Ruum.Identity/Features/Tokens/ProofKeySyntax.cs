namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// RFC 7636 §4.1 and §4.2: a code verifier and a code challenge are 43 to 128 characters of the unreserved set
/// <c>[A-Za-z0-9-._~]</c>. OpenIddict only compares them, so a short verifier (too little entropy) or a challenge
/// in another alphabet got through.
/// </summary>
internal static class ProofKeySyntax
{
    public static bool IsValid(string value) =>
        value.Length is >= 43 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public static string Describe(string parameter) =>
        $"The '{parameter}' parameter must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636 §4).";
}
