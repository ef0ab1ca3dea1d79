using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Features.SecurityTxt;

/// <summary><c>Ruum:SecurityTxt</c>: the RFC 9116 file that tells researchers where to report a vulnerability.</summary>
public sealed class SecurityTxtOptions : IValidatableObject
{
    public const string Section = "Ruum:SecurityTxt";

    /// <summary>RFC 9116 §2.5.3: a mailto:, https: or tel: URI.</summary>
    [Required]
    public string Contact { get; set; } = "mailto:security@ruum.es";

    /// <summary>Expires is today (UTC) plus this; RFC 9116 §2.5.5 recommends less than a year ahead.</summary>
    public TimeSpan ExpiresAfter { get; set; } = TimeSpan.FromDays(180);

    [Required]
    public string PreferredLanguages { get; set; } = "es, en";

    /// <summary>Where the file is published; unset, the issuer's <c>/.well-known/security.txt</c>.</summary>
    public Uri? Canonical { get; set; }

    /// <summary>Optional link to the disclosure policy (RFC 9116 §2.5.7).</summary>
    public Uri? Policy { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Contact.StartsWith("mailto:", StringComparison.Ordinal) && !Contact.StartsWith("https://", StringComparison.Ordinal)
            && !Contact.StartsWith("tel:", StringComparison.Ordinal))
        {
            yield return new ValidationResult($"{Section}:Contact must be a mailto:, https:// or tel: URI.");
        }
        if (ExpiresAfter <= TimeSpan.Zero || ExpiresAfter > TimeSpan.FromDays(366))
        {
            yield return new ValidationResult($"{Section}:ExpiresAfter must be between a day and a year.");
        }
    }
}
