using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Features.Otp;

/// <summary>The code form: exactly six digits, nothing else (a malformed code is refused before any check).</summary>
public sealed class OtpInput
{
    [Required(ErrorMessage = "Enter the 6-digit code.")]
    [RegularExpression("^[0-9]{6}$", ErrorMessage = "The code is exactly 6 digits, with no spaces or letters.")]
    public string Code { get; set; } = "";

    public bool TrustDevice { get; set; }
}
