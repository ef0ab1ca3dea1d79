using System.Text;
using System.Text.RegularExpressions;

namespace Ruum.Identity.Infrastructure.Monitoring;

/// <summary>
/// The one rule for what never leaves the process in a log line or a Sentry event: values of secret-named
/// parameters (query strings, forms, JSON, <c>name: value</c> text, also percent-encoded inside another URL),
/// credentials after an <c>Authorization</c> scheme, and anything shaped like a JWT.
/// </summary>
public static partial class SecretScrubber
{
    public const string Filtered = "[Filtered]";

    private static readonly string[] SecretWords =
        ["password", "passwd", "secret", "token", "otp", "pepper", "verifier", "assertion", "authorization", "cookie", "recovery",
            "pem", "dsn"];

    // Names containing "code" (code, user_code, Input.Code) or ending in "key" (EncryptionKey, api_key) are
    // secrets, except these harmless ones.
    private static readonly HashSet<string> HarmlessCodes = new(StringComparer.Ordinal)
    {
        "statuscode", "errorcode", "hashcode", "countrycode", "languagecode", "currencycode", "codechallengemethod",
    };

    /// <summary>True for a parameter or property name whose value must never be written anywhere.</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.ToLowerInvariant();
        // A stack trace's "in .../TokensSetup.cs:line 107" names a source file, not a parameter.
        if (normalized.EndsWith(".cs", StringComparison.Ordinal))
        {
            return false;
        }
        if (SecretWords.Any(word => normalized.Contains(word, StringComparison.Ordinal)))
        {
            return true;
        }
        var lastSegment = normalized[(normalized.LastIndexOf('.') + 1)..]
            .Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return lastSegment.EndsWith("key", StringComparison.Ordinal)
            || (lastSegment.Contains("code", StringComparison.Ordinal) && !HarmlessCodes.Contains(lastSegment));
    }

    /// <summary>Returns <paramref name="text"/> with every secret value replaced by <see cref="Filtered"/>.</summary>
    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }
        // Credentials first: "Authorization: Bearer x" must lose x, not only the word "Bearer".
        var scrubbed = CredentialPattern().Replace(text, match => match.Groups["scheme"].Value + " " + Filtered);
        scrubbed = JwtPattern().Replace(scrubbed, Filtered);
        return ScrubAssignments(scrubbed);
    }

    public static string? ScrubNullable(string? text) => text is null ? null : Scrub(text);

    // The value sits in a look-ahead so that a harmless "url=" never swallows a "?password=" inside its value.
    private static string ScrubAssignments(string text)
    {
        StringBuilder? result = null;
        var position = 0;
        var match = AssignmentPattern().Match(text);
        while (match.Success)
        {
            var value = match.Groups["value"];
            if (IsSecretName(match.Groups["name"].Value))
            {
                result ??= new StringBuilder(text.Length);
                result.Append(text, position, value.Index - position).Append(Filtered);
                position = value.Index + value.Length;
                match = AssignmentPattern().Match(text, position);
            }
            else
            {
                match = match.NextMatch();
            }
        }
        return result is null ? text : result.Append(text, position, text.Length - position).ToString();
    }

    [GeneratedRegex("""
        (?<name>[A-Za-z][A-Za-z0-9_.\-\[\]]*)\\?["']?\s*(?:=|%3[dD]|:)\s*\\?(?:["']|%22)?(?=(?<value>(?:%(?!26|22|2[cC])[0-9A-Fa-f]{2}|[^&\s#"'<>,;%{}\[\]()\\])+))
        """, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex AssignmentPattern();

    // RFC 9110 §11.4 credentials: "Bearer abc", "Basic abc=".
    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|Digest|Negotiate|DPoP))\s+[A-Za-z0-9._~+/=\-]+",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex CredentialPattern();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JwtPattern();
}
