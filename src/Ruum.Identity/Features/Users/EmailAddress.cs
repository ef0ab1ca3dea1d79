using System.Text;

namespace Ruum.Identity.Features.Users;

public static class EmailAddress
{
    /// <summary>RFC 5321 caps a forward path at 254 characters; anything longer is not an address.</summary>
    public const int MaxLength = 254;

    /// <summary>Emails compare case-insensitively after Unicode NFKC normalisation.</summary>
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().Normalize(NormalizationForm.FormKC).ToUpperInvariant();
    }
}
