using System.Globalization;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Features.Users;

/// <summary>
/// What every new password must pass (change, reset, invitation): NIST SP 800-63B §3.1.1.2 and ASVS V6.2.4/V6.2.11/V6.2.12.
/// A minimum length and a check against known and guessable values; no composition rules (§3.1.1.2 forbids them).
/// </summary>
public sealed class NewPasswordRules(IOptions<PasswordOptions> options, CommonPasswords common)
{
    public const string Missing = "Choose a new password.";
    public const string OnlySpaces = "The new password cannot be only spaces.";
    public const string TooLong = "The new password is too long: at most 1024 bytes.";
    public const string Common = "This password is on a list of common passwords that attackers try first. Choose another.";
    public const string Personal = "The new password must not contain your name or your email address.";
    public const string ProductName = "The new password must not contain the word \"ruum\".";

    /// <summary>Name parts and email local parts shorter than this are too common to forbid inside a password.</summary>
    public const int MinimumPersonalPart = 4;

    private const string Product = "ruum";

    public int MinimumLength => options.Value.MinimumLength;

    public static string TooShort(int minimum) => $"The new password must be at least {minimum} characters.";

    /// <returns>The message to show under the field, or null when the password may be set.</returns>
    public string? FindProblem(string? candidate, string email, string displayName)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(displayName);
        if (string.IsNullOrEmpty(candidate))
        {
            return Missing;
        }
        // Checked before normalising: a 10 KB input costs no NFKC pass beyond the cap.
        if (candidate.Length > PasswordHasher.MaxPasswordBytes || PasswordHasher.IsTooLong(candidate))
        {
            return TooLong;
        }
        if (string.IsNullOrWhiteSpace(candidate))
        {
            return OnlySpaces;
        }
        var folded = CommonPasswords.Fold(candidate);
        if (new StringInfo(folded).LengthInTextElements < MinimumLength)
        {
            return TooShort(MinimumLength);
        }
        if (common.Contains(folded))
        {
            return Common;
        }
        if (PersonalParts(email, displayName).Any(part => folded.Contains(part, StringComparison.Ordinal)))
        {
            return Personal;
        }
        return folded.Contains(Product, StringComparison.Ordinal) ? ProductName : null;
    }

    private static IEnumerable<string> PersonalParts(string email, string displayName)
    {
        var at = email.LastIndexOf('@');
        var local = CommonPasswords.Fold(at > 0 ? email[..at] : email).Trim();
        var names = CommonPasswords.Fold(displayName).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Append(local).Append(string.Concat(names)).Where(part => part.Length >= MinimumPersonalPart);
    }
}
